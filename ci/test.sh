#!/usr/bin/env bash
# The whole test suite: unit tests (*Test, surefire) and integration tests (*IT, failsafe),
# the orchestrator's DAO tests on H2 and on a throw-away PostgreSQL (ci/postgres.sh), the
# enforcer (duplicate classes, upper-bound dependencies), the formatter check and the
# single-version check of core libraries. Installs what the tests need when it is missing.
# Usage: ci/test.sh [extra maven args]
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh

# A PostgreSQL of our own for the orchestrator's database tests (they also run on H2). Stopped at
# exit unless it was already running. In CI a failure here fails the run (the PostgreSQL tests
# must not skip there); elsewhere those tests skip with a message.
if ! ci/postgres.sh status; then
  trap 'ci/postgres.sh stop' EXIT
fi
if pg_env=$(ci/postgres.sh start); then
  eval "$pg_env"
elif [ "${CI:-}" = "true" ]; then
  echo "ci/test.sh: PostgreSQL did not start; the orchestrator's PostgreSQL tests cannot run" >&2
  exit 1
else
  echo "ci/test.sh: PostgreSQL did not start; its tests will be skipped" >&2
fi

# In CI the formatter checks instead of rewriting: unformatted code fails the build.
format_goal=apply
if [ "${CI:-}" = "true" ]; then
  format_goal=check
fi

# Outside CI the formatter rewrites files in place; say so, since CI (check mode) would reject
# the same files as they are committed.
tree_before=$(git diff 2>/dev/null | sha1sum || true)

start=$(date +%s)
./mvnw -B -ntp -Dspotless.goal="$format_goal" install "$@"
if [ "$format_goal" = apply ] && [ "$(git diff 2>/dev/null | sha1sum || true)" != "$tree_before" ]; then
  echo "ci/test.sh: the formatter rewrote these files; commit them, or CI's format check fails:" >&2
  git diff --stat >&2 || true
fi
ci/check-dependency-versions.sh
echo "ci/test.sh: finished in $(( $(date +%s) - start )) s"
