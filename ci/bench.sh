#!/usr/bin/env bash
# TickLake benchmark (`ticklake bench`), one JVM, one JSON file with a section per suite
# (--suites, default all):
#   deltaio    DeltaIO write/read on DirectRunner and FlinkRunner [local] against raw parquet-avro
#   ingest     embedded Kafka (2 partitions): produce --events synthetic trades, raw kafka-clients
#              consume, Bronze ingest (IngestBronzeJob.run) per runner, verified
#   medallion  from that Bronze table: RefineSilverJob.run, BuildGoldJob.run per runner, verified
#   cluster    the medallion pass (bronze -> silver -> gold of --events) on FlinkRunner [local] and on
#              a standalone Flink session cluster (servers/flink: 2 TaskManagers x 1 slot, the
#              job jar pipelines/target/ticklake-pipelines-job.jar staged), same lake file system;
#              cluster/[local] ratio of the best passes and submission overhead per job; then
#              (unless --clusterHdfs=false) the cluster's passes with the lake on a real HDFS and
#              their ratio to local disk; --clusterJobJar=lib stages a placeholder instead of the
#              jar (the cluster has it in lib/, as with flinkJobJar: lib)
#   training   synthetic daily bars (--trainingSymbols 500 x --trainingYears 10): features, one
#              5-fold walk-forward of the XGBoost classifier, scoring rows/s, peak RSS (in-process
#              math, no Beam/Delta I/O)
#   history    issue 14: synthetic history (feed history) published to an embedded Kafka topic, then
#              Bronze -> Silver -> Gold by the jobs' run methods in a worker JVM (--historyJavaOpts):
#              --historySymbols (500) x --historyYears (20) of daily bars (<= 180 s, peak RSS <= 4 GiB),
#              1 symbol x --historyYears (<= 20 s), --historyMinuteSymbols (50) x --historyMonths (3)
#              of 1-minute bars (<= 60 s); Gold alone on --historyLiveEvents (2,000,000) trades of
#              --historyLiveSymbols (50) in one day, as its own process (<= 6 s) and in this warm JVM
#              (median of --repeats, <= 2.5 s); every case verified (row counts from the generators)
#   scheduler  the scheduler with no-op DAGs (chain, wide) on H2: upstream end -> downstream start
#              p50/p95/max, completed runs per minute (--schedulerRuns per DAG, 200)
#   freshness  the demo as a child process at --feedRate (5,000) events/s: event production ->
#              its 1-minute bar in gold p50/p95/max over --freshnessSeconds (120), start-up to
#              the first successful run and gold bars, peak RSS of the demo process
#   serving    read layer (in-process, no HTTP): gold/bars_1m of --servingSymbols (10) x
#              --servingDays (30) x 390 one-minute bars; one symbol's closes over the days, warm
#              and cold (first after a commit) p50/p95/max against the issue's targets, and the
#              raw Parquet scan rate of the same files
#   dashboard  serving part B: the demo as a child process with its feed (and this JVM feeding the
#              symbols beyond its five) while its medallion DAG runs; once gold has bars of all
#              --dashboardSymbols (10), --dashboardClients (20) clients (an HttpClient each, client i
#              on symbol i % 10) refresh dashboards/market.json every --dashboardRefreshSeconds (5)
#              for --dashboardSeconds (60), after a --dashboardWarmupSeconds (20) warm-up of the
#              same clients reported apart: each refresh sends all panel and annotation requests
#              in parallel, as Grafana does; refresh and request p50/p95/max against the target
#              (p95 <= 100 ms, 0 errors), errors, the demo's peak RSS and RSS at the end
# Arguments pass through to `ticklake bench` (dev.ticklake.benchmarks.BenchCommand), e.g.
#   ci/bench.sh                                  # all suites, 2,000,000 rows/events, 3 rounds
#   ci/bench.sh --suites=ingest,medallion --events=2000000 --repeats=1 --out=bench-results/pipes.json
#   ci/bench.sh --suites=deltaio --rows=2000000 --runners=direct,flink
#   ci/bench.sh --suites=scheduler,freshness --out=bench-results/orchestrator.json
#   ci/bench.sh --suites=freshness --freshnessSeconds=30 --freshnessRunner=flink-local
#   ci/bench.sh --suites=dashboard --dashboardSeconds=60 --out=bench-results/dashboard.json
#   ci/bench.sh --suites=history --historySymbols=20 --historyYears=2 --historyMinuteSymbols=5 \
#     --historyMonths=1 --historyLiveEvents=200000 --repeats=1   # smoke
# Options: --suites, --runners=direct,flink, --workers=2, --repeats=3, --out (bench-results/bench.json),
#   --workDir; deltaio: --rows, --warmupRows, --symbols, --days, --rowsPerSourceElement;
#   ingest/medallion: --events (2,000,000), --warmupEvents (100,000); history: --historyCases
#   (daily,single,minute,live), --historySymbols, --historyYears, --historyMinuteSymbols,
#   --historyMonths, --historyLiveEvents, --historyLiveSymbols, --historyRunner (flink),
#   --historyJavaOpts ("-Xmx3g -XX:+UseParallelGC"); scheduler: --schedulerRuns;
#   freshness: --freshnessSeconds, --freshnessGraceSeconds (60), --feedRate, --freshnessRunner,
#   --freshnessSchedule (the medallion DAG's schedule in the demo, e.g. 1s; default the shipped 5s),
#   --demoJavaOpts (JVM options of the demo process, default none); serving: --servingSymbols,
#   --servingDays, --servingBarsPerDay (390), --servingRepeats (200), --servingColdSamples (10);
#   dashboard: --dashboardSeconds, --dashboardWarmupSeconds, --dashboardClients, --dashboardSymbols,
#   --dashboardRefreshSeconds, --dashboardFeedRate (the demo feed's events/s, 200), --dashboardFile,
#   --demoJavaOpts.
#   `--help` lists them all.
# Logging: BENCH_LOG_LEVEL (root log level of the benchmark JVM, default warn).
# Environment: BENCH_JAVA_OPTS (default "-Xms4g -Xmx4g -XX:+UseParallelGC"), e.g. add a JFR
#   recording: BENCH_JAVA_OPTS="-Xms4g -Xmx4g -XX:StartFlightRecording=filename=/tmp/b.jfr" ci/bench.sh
# SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

classpath_file=benchmarks/target/bench.classpath
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$classpath_file" ]]; then
  # Resolved in the reactor (package, not install), so the classpath points at this checkout's
  # module jars, not at whatever another checkout last installed into ~/.m2.
  ./mvnw -B -q -pl benchmarks -am package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench.classpath
fi
classpath="$PWD/benchmarks/target/classes:$(cat "$classpath_file")"

# The JVM is ours (not Maven's), so heap and GC flags apply to the measured process only (the
# freshness and dashboard suites' demo child gets --demoJavaOpts instead). A fixed heap
# (-Xms = -Xmx), as Flink gives its task managers: with a small initial heap, Silver took 11-18 s in the first two rounds
# of a medallion run and 8-11 s in the third while the collector grew the heap (2026-11-22).
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms4g -Xmx4g -XX:+UseParallelGC} \
  -Dticklake.bench.logLevel="${BENCH_LOG_LEVEL:-warn}" -cp "$classpath" \
  dev.ticklake.benchmarks.BenchMain bench "$@"
