#!/usr/bin/env bash
# TickLake benchmark, one JVM, one JSON file with a section per suite (--suites, default all):
#   deltaio    DeltaIO write/read on DirectRunner and FlinkRunner [local] against raw parquet-avro
#   ingest     embedded Kafka (2 partitions): produce --events synthetic trades, raw kafka-clients
#              consume, Bronze ingest (IngestBronze.run) per runner, verified
#   medallion  from that Bronze table: RefineSilverJob.run, BuildGoldJob.run per runner, verified
# Arguments pass through to dev.ticklake.pipelines.bench.Benchmark, e.g.
#   ci/bench.sh                                  # all suites, 2,000,000 rows/events, 3 rounds
#   ci/bench.sh --suites=ingest,medallion --events=2000000 --repeats=1 --out=bench-results/pipes.json
#   ci/bench.sh --suites=deltaio --rows=2000000 --runners=direct,flink
# Options: --suites, --runners=direct,flink, --workers=2, --repeats=3, --out (bench-results/bench.json),
#   --workDir; deltaio: --rows, --warmupRows, --symbols, --days, --rowsPerSourceElement;
#   ingest/medallion: --events (2,000,000), --warmupEvents (100,000).
# Logging: BENCH_LOG_LEVEL (slf4j-simple level, default warn).
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
exec java ${BENCH_JAVA_OPTS:--Xmx4g -XX:+UseParallelGC} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${BENCH_LOG_LEVEL:-warn}" -cp "$classpath" \
  dev.ticklake.pipelines.bench.Benchmark "$@"
