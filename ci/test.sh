#!/usr/bin/env bash
# The whole test suite: unit tests (*Test, surefire) and integration tests (*IT, failsafe),
# the enforcer (duplicate classes, upper-bound dependencies), the formatter check and the
# single-version check of core libraries. Installs what the tests need when it is missing.
# Usage: ci/test.sh [extra maven args]
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh

# In CI the formatter checks instead of rewriting: unformatted code fails the build.
format_goal=apply
if [ "${CI:-}" = "true" ]; then
  format_goal=check
fi

start=$(date +%s)
./mvnw -B -ntp -Dspotless.goal="$format_goal" install "$@"
ci/check-dependency-versions.sh
echo "ci/test.sh: finished in $(( $(date +%s) - start )) s"
