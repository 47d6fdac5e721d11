#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing (Debian/Ubuntu, as root or
# with sudo). Java 17 and network access to Maven Central are assumed; the Maven wrapper fetches
# Maven itself.
set -euo pipefail

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "ci/install-deps.sh: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
