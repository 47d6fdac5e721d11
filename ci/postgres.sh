#!/usr/bin/env bash
# A throw-away PostgreSQL for the integration tests: its own data directory (initdb) on a free
# loopback port, so it never touches the machine's clusters or another worktree's instance.
#
#   eval "$(ci/postgres.sh start)"   # starts (or reuses) it; prints: export TICKLAKE_TEST_PG_URL=...
#   ci/postgres.sh url               # prints the JDBC URL of the running instance
#   ci/postgres.sh status            # exit 0 if running
#   ci/postgres.sh stop              # stops it and deletes its data
#
# Uses Debian's PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin; ci/install-deps.sh
# installs them). As root the server runs as the `postgres` user (PostgreSQL refuses root).
# Database ticklake_test, user ticklake, password ticklake; password auth over TCP.
# State lives in $TICKLAKE_PG_DIR (default: /tmp/ticklake-pg-<checksum of this checkout's path>).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${TICKLAKE_PG_DIR:-/tmp/ticklake-pg-$(echo "$repo" | cksum | cut -d' ' -f1)}
data=$dir/data
log() { echo "ci/postgres.sh: $*" >&2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  log "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; run ci/install-deps.sh (apt-get install postgresql)"
  exit 1
fi

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then
    # runuser keeps no root privileges; cd away from directories postgres cannot read
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

running() { [ -f "$data/postmaster.pid" ] && as_db_user "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

url() { echo "jdbc:postgresql://127.0.0.1:$(cat "$dir/port")/ticklake_test?user=ticklake&password=ticklake"; }

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  log "no free port in 55432-55532"
  exit 1
}

start() {
  if running; then
    log "already running on port $(cat "$dir/port") ($data)"
  else
    rm -rf "$dir"
    mkdir -p "$dir"
    free_port >"$dir/port"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
    echo ticklake >"$dir/.pw" && chmod 644 "$dir/.pw"
    as_db_user "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$dir/.pw" -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a test database need not survive a power cut, and it halves start and write time
    as_db_user "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-p $(cat "$dir/port") -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=50" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_db_user "$bindir/psql" -h "$dir" -p "$(cat "$dir/port")" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE ticklake LOGIN PASSWORD 'ticklake'" -c "CREATE DATABASE ticklake_test OWNER ticklake" >/dev/null
    log "started PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/port") ($data)"
  fi
  echo "export TICKLAKE_TEST_PG_URL='$(url)'"
}

stop() {
  if running; then
    as_db_user "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    log "stopped"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  url) running && url ;;
  *) echo "usage: ci/postgres.sh start|stop|status|url" >&2; exit 2 ;;
esac
