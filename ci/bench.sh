#!/usr/bin/env bash
# DeltaIO benchmark: DeltaIO write/read on DirectRunner and FlinkRunner [local] against raw
# parquet-avro, in one JVM. Arguments pass through to DeltaIOBenchmark, e.g.
#   ci/bench.sh --rows=2000000 --runners=direct,flink --out=bench-results/deltaio.json
# Environment: BENCH_JAVA_OPTS (default "-Xmx4g -XX:+UseParallelGC"), e.g. add a JFR recording:
#   BENCH_JAVA_OPTS="-Xmx4g -XX:StartFlightRecording=filename=/tmp/bench.jfr" ci/bench.sh
# SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

classpath_file=pipelines/target/bench.classpath
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$classpath_file" ]]; then
  # Resolved in the reactor, so the classpath points at this checkout's module jars, not at
  # whatever another checkout last installed into ~/.m2.
  ./mvnw -B -q -pl pipelines -am install -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench.classpath
fi
classpath="pipelines/target/classes:$(cat "$classpath_file")"

# The JVM is ours (not Maven's), so heap and GC flags apply to the measured process only.
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx4g -XX:+UseParallelGC} -cp "$classpath" \
  dev.ticklake.pipelines.bench.Benchmark "$@"
