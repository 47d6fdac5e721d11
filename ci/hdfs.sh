#!/usr/bin/env bash
# A real HDFS (NameNode + DataNode, Hadoop's MiniDFSCluster) in its own JVM on 127.0.0.1, for a
# laptop trial of lakeRoot: hdfs://... (the tests start their own through HdfsServer).
#
#   ci/hdfs.sh start [PORT]   # prints hdfs://127.0.0.1:PORT (refuses a second start)
#   ci/hdfs.sh status         # exit 0 and the URI if running
#   ci/hdfs.sh stop           # stops it; data stays in the folder
#
# Builds the module first when it is not built yet.
# State and log (hdfs.log) in $TICKLAKE_HDFS_DIR (default /tmp/ticklake-hdfs-<checksum of this checkout>).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
dir=${TICKLAKE_HDFS_DIR:-/tmp/ticklake-hdfs-$(echo "$repo" | cksum | cut -d' ' -f1)}
command=${1:?usage: ci/hdfs.sh start [PORT] | status | stop}
shift
. ci/lib/server-main.sh
server_main hdfs dev.ticklake.servers.hdfs.HdfsCommand "$command" "$dir" "$@"
