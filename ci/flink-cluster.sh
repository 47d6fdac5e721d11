#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster (1 JobManager, 2 TaskManagers, each its own JVM) from
# Flink's Maven artifacts, for runner: flink-remote. See docs/flink-cluster.md.
#
#   ci/flink-cluster.sh start|stop|status
#
# State and logs: $TICKLAKE_FLINK_HOME (default target/flink-cluster): conf/config.yaml,
# log/<jvm>.log and .pid, and the file master (127.0.0.1:<rest port>: the flinkMaster).
# Sizes (environment): TICKLAKE_FLINK_REST_PORT (8081; 0 = a free port), TICKLAKE_FLINK_TASKMANAGERS
# (2), TICKLAKE_FLINK_SLOTS (1 per TaskManager), TICKLAKE_FLINK_TASK_HEAP_MB (384),
# TICKLAKE_FLINK_MANAGED_MB (128), TICKLAKE_FLINK_JOBMANAGER_HEAP_MB (384).
# TICKLAKE_FLINK_LIB: jars on the cluster's classpath (Flink's lib/), default the pipelines' job jar
# when it is built (pipelines/target/ticklake-pipelines-job.jar); restart the cluster after
# rebuilding it. Set it empty to run without (user code then loads per job, child-first).
# The module servers/flink is built first when its classes are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  start|stop|status) ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

export TICKLAKE_FLINK_HOME="${TICKLAKE_FLINK_HOME:-target/flink-cluster}"
job_jar=pipelines/target/ticklake-pipelines-job.jar
if [ -z "${TICKLAKE_FLINK_LIB+set}" ] && [ -f "$job_jar" ]; then
  export TICKLAKE_FLINK_LIB="$PWD/$job_jar"
fi
. ci/lib/server-main.sh
server_main flink dev.ticklake.servers.flink.FlinkClusterMain "$1"
