#!/usr/bin/env bash
# A real HDFS (NameNode + DataNode, Hadoop's MiniDFSCluster) in its own JVM on 127.0.0.1, for a
# laptop trial of lakeRoot: hdfs://... (the tests start their own through HdfsServer).
#
#   ci/hdfs.sh start [PORT]   # prints hdfs://127.0.0.1:PORT (refuses a second start)
#   ci/hdfs.sh status         # exit 0 and the URI if running
#   ci/hdfs.sh stop           # stops it; data stays in the folder
#
# Needs the module built: ./mvnw -o -q -pl servers/hdfs -am package -DskipTests
# State and log (hdfs.log) in $TICKLAKE_HDFS_DIR (default /tmp/ticklake-hdfs-<checksum of this checkout>).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${TICKLAKE_HDFS_DIR:-/tmp/ticklake-hdfs-$(echo "$repo" | cksum | cut -d' ' -f1)}
classes=$repo/servers/hdfs/target/classes
classpath=$classes/dev/ticklake/servers/hdfs/runtime-classpath.txt
if [ ! -f "$classpath" ]; then
  echo "ci/hdfs.sh: build the module first: ./mvnw -o -q -pl servers/hdfs -am package -DskipTests" >&2
  exit 1
fi
command=${1:?usage: ci/hdfs.sh start [PORT] | status | stop}
shift
exec java -cp "$classes:$(cat "$classpath")" dev.ticklake.servers.hdfs.HdfsCommand "$command" "$dir" "$@"
