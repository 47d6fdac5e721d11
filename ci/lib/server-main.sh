# Sourced by ci/flink-cluster.sh, ci/hdfs.sh and ci/s3.sh: runs an engine module's command main on
# that module's classes, the launcher's and its runtime classpath, building the module first when
# it is not built yet.
#   server_main MODULE MAIN_CLASS ARGS...   (MODULE: flink, hdfs or s3; from the repository root)
server_main() {
  local module=$1 main=$2
  shift 2
  local classes=servers/$module/target/classes
  local classpath=$classes/dev/ticklake/servers/$module/runtime-classpath.txt
  if [ ! -f "$classpath" ] || [ ! -d servers/launcher/target/classes/dev/ticklake/servers ]; then
    echo "building servers/$module ..." >&2
    ./mvnw -o -q -pl "servers/$module" -am package -DskipTests >&2
  fi
  exec java -cp "$classes:servers/launcher/target/classes:$(cat "$classpath")" "$main" "$@"
}
