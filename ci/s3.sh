#!/usr/bin/env bash
# An S3-compatible server (s3proxy over a local folder) in its own JVM on 127.0.0.1, for a laptop
# trial of lakeRoot: s3a://BUCKET/lake (the tests start their own through S3Server).
#
#   ci/s3.sh start [BUCKET [PORT]]   # prints the endpoint and the fs.s3a.* settings for hadoop:
#   ci/s3.sh status                  # exit 0 and the endpoint if running
#   ci/s3.sh stop                    # stops it; objects stay in the folder
#
# Builds the module first when it is not built yet.
# State and log (s3proxy.log) in $TICKLAKE_S3_DIR (default /tmp/ticklake-s3-<checksum of this checkout>).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
dir=${TICKLAKE_S3_DIR:-/tmp/ticklake-s3-$(echo "$repo" | cksum | cut -d' ' -f1)}
command=${1:?usage: ci/s3.sh start [BUCKET [PORT]] | status | stop}
shift
. ci/lib/server-main.sh
server_main s3 dev.ticklake.servers.s3.S3Command "$command" "$dir" "$@"
