package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.Benchmark;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the {@code bench} command: the pipeline suites' plus the orchestrator suites'. */
public interface BenchOptions extends Benchmark.Options {

  @Description("scheduler suite: manual runs of each no-op DAG (chain, wide), created back to back")
  @Default.Integer(200)
  int getSchedulerRuns();

  void setSchedulerRuns(int runs);

  @Description("freshness suite: seconds of produced events measured")
  @Default.Integer(120)
  int getFreshnessSeconds();

  void setFreshnessSeconds(int seconds);

  @Description(
      "freshness suite: seconds the demo may take after the window for the window's events to"
          + " reach gold; events not there by then are reported as not visible")
  @Default.Integer(60)
  int getFreshnessGraceSeconds();

  void setFreshnessGraceSeconds(int seconds);

  @Description("freshness suite: the demo feed's rate, events per second")
  @Default.Double(5_000)
  double getFeedRate();

  void setFeedRate(double eventsPerSecond);

  @Description(
      "freshness suite: the demo's Beam runner (direct, flink-local); empty: the demo's default")
  @Default.String("")
  String getFreshnessRunner();

  void setFreshnessRunner(String runner);

  @Description(
      "freshness and dashboard suites: JVM options of the demo process, space-separated (default: the"
          + " ./ticklake launcher's default TICKLAKE_JAVA_OPTS)")
  @Default.String("-Xmx1g -XX:+UseSerialGC")
  String getDemoJavaOpts();

  void setDemoJavaOpts(String opts);

  @Description(
      "freshness suite: the medallion DAG's schedule in the demo (an interval such as 1s or 5s);"
          + " empty: the shipped DAG (every 5 s)")
  @Default.String("")
  String getFreshnessSchedule();

  void setFreshnessSchedule(String schedule);

  @Description("serving suite: symbols in the lake (the query reads one; the others are pruned)")
  @Default.Integer(10)
  int getServingSymbols();

  void setServingSymbols(int symbols);

  @Description("serving suite: weekdays of 1-minute bars per symbol (the query's range)")
  @Default.Integer(30)
  int getServingDays();

  void setServingDays(int days);

  @Description("serving suite: 1-minute bars per day (390: a US session)")
  @Default.Integer(390)
  int getServingBarsPerDay();

  void setServingBarsPerDay(int bars);

  @Description("serving suite: warm repetitions of the query")
  @Default.Integer(200)
  int getServingRepeats();

  void setServingRepeats(int repeats);

  @Description("serving suite: cold samples (a commit replacing one day, then the query)")
  @Default.Integer(10)
  int getServingColdSamples();

  void setServingColdSamples(int samples);

  @Description(
      "dashboard suite: seconds the same clients refresh before the measured window (reported"
          + " apart): the service's read path is compiled by then, as on a service that has been up")
  @Default.Integer(20)
  int getDashboardWarmupSeconds();

  void setDashboardWarmupSeconds(int seconds);

  @Description("dashboard suite: seconds the clients refresh the Market dashboard")
  @Default.Integer(60)
  int getDashboardSeconds();

  void setDashboardSeconds(int seconds);

  @Description("dashboard suite: concurrent Grafana clients (each its own HTTP client)")
  @Default.Integer(20)
  int getDashboardClients();

  void setDashboardClients(int clients);

  @Description("dashboard suite: symbols in Gold; client i shows symbol i % symbols")
  @Default.Integer(10)
  int getDashboardSymbols();

  void setDashboardSymbols(int symbols);

  @Description("dashboard suite: seconds between a client's refreshes")
  @Default.Integer(5)
  int getDashboardRefreshSeconds();

  void setDashboardRefreshSeconds(int seconds);

  @Description(
      "dashboard suite: events/s of the demo's feed (five symbols); the symbols beyond five are fed"
          + " at the same rate per symbol")
  @Default.Double(200)
  double getDashboardFeedRate();

  void setDashboardFeedRate(double eventsPerSecond);

  @Description("dashboard suite: the Grafana dashboard refreshed")
  @Default.String("dashboards/market.json")
  String getDashboardFile();

  void setDashboardFile(String file);
}
