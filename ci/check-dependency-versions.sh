#!/usr/bin/env bash
# Fails when the build resolves more than one version of Jackson, Parquet, Avro, kafka-clients
# or Scala anywhere in the reactor (all scopes). Two versions of these on one classpath fail at
# run time in ways the compiler does not see.
set -euo pipefail
cd "$(dirname "$0")/.."

tree=$(./mvnw -B -ntp dependency:tree -Dverbose=false 2>/dev/null | grep -E '^\[INFO\] .*[+\\]- ' || true)
status=0
check() {
  local label=$1 pattern=$2
  local versions
  versions=$(echo "$tree" | grep -oE "$pattern:jar:[^: ]+" | awk -F: '{print $4}' | sort -u)
  if [ "$(echo "$versions" | grep -c .)" -gt 1 ]; then
    echo "More than one $label version: $(echo $versions)"
    status=1
  else
    echo "$label: $(echo $versions)"
  fi
}
# jackson-annotations is versioned "2.21" where the other Jackson modules are "2.21.0".
check "Jackson" 'com\.fasterxml\.jackson\.(core|dataformat|datatype|module|jakarta\.rs):jackson-(core|databind|dataformat-[a-z]+|datatype-[a-z0-9]+|module-[a-z]+|jakarta-rs-[a-z-]+)'
check "Parquet" 'org\.apache\.parquet:parquet-[a-z-]+'
check "Avro" 'org\.apache\.avro:avro'
check "kafka-clients" 'org\.apache\.kafka:kafka-clients'
check "Scala" 'org\.scala-lang:scala-(library|reflect)'
exit $status
