#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing (Debian/Ubuntu, as root or
# with sudo). Java 17 and network access to Maven Central are assumed; the Maven wrapper fetches
# Maven itself.
set -euo pipefail

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
# kcat: a Kafka client written in C, used to check the broker and wire format with a client we did not write
command -v kcat >/dev/null || need+=(kcat)
# PostgreSQL server binaries for ci/postgres.sh (the orchestrator's DAO tests run on it too)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Headless Chromium and its WebDriver for the web UI's browser tests (orchestrator *UiIT / WebUiIT)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "ci/install-deps.sh: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
