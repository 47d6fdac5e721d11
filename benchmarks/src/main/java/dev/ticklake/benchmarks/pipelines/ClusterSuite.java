package dev.ticklake.benchmarks.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.pipelines.LocalFlinkCluster;
import dev.ticklake.servers.flink.FlinkClusterSettings;
import dev.ticklake.servers.flink.FlinkSessionCluster;
import dev.ticklake.servers.hdfs.HdfsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code cluster} suite: the medallion suite's bronze → silver → gold pass on FlinkRunner
 * {@code [local]} ({@code flink}, Beam's own: a MiniCluster per job) and on a standalone session
 * cluster ({@code flink-cluster}: a {@link FlinkSessionCluster} of 2 TaskManagers × 1 slot, the job
 * jar staged with each job and on the cluster's classpath), same lake file system, in one run. Then
 * (unless {@code --clusterHdfs=false}) the cluster's passes again with the lake on a real HDFS
 * ({@link HdfsServer}). Reports the ratios of the best passes (cluster / local on local disk;
 * cluster on HDFS / cluster on local disk) and the submission overhead per job: the client's wall
 * time of the last cluster pass minus the run time the cluster reports for its Silver and Gold
 * jobs, per job.
 */
final class ClusterSuite {
  static final String LOCAL = "flink";
  static final String CLUSTER = "flink-cluster";
  private static final String LOCAL_REUSE_PROPERTY = "ticklake.localFlinkCluster.reuse";
  private static final double RATIO_TARGET = 1.3;
  private static final double HDFS_RATIO_TARGET = 1.5;

  private ClusterSuite() {}

  record Output(Map<String, Object> json, String table) {}

  static Output run(PrintStream out, Benchmark.Options options, Path workDir) throws IOException {
    // The shared [local] cluster (LocalFlinkCluster) sets Flink's context environment, after which
    // Flink refuses a RemoteEnvironment in the JVM: this suite's [local] is Beam's own (a
    // MiniCluster per job), and it cannot follow a suite that used the shared one.
    if (LocalFlinkCluster.installed()) {
      throw new IllegalStateException(
          "the cluster suite must run before any other Flink suite in the JVM: run it alone"
              + " (--suites=cluster)");
    }
    String reuseBefore = System.setProperty(LOCAL_REUSE_PROPERTY, "false");
    try {
      return runWithoutSharedLocal(out, options, workDir);
    } finally {
      if (reuseBefore == null) {
        System.clearProperty(LOCAL_REUSE_PROPERTY);
      } else {
        System.setProperty(LOCAL_REUSE_PROPERTY, reuseBefore);
      }
    }
  }

  private static Output runWithoutSharedLocal(
      PrintStream out, Benchmark.Options options, Path workDir) throws IOException {
    Path jar = FlinkClusterTarget.jobJar().toAbsolutePath();
    FlinkClusterTarget.jobJar(options.getClusterJobJar());
    FlinkClusterSettings settings =
        FlinkClusterSettings.defaults(workDir.resolve("flink-cluster")).withLibraries(List.of(jar));
    long t0 = System.nanoTime();
    Suites.log(out, "[cluster] starting a Flink session cluster (2 TaskManagers x 1 slot) ...");
    String runnersBefore = options.getMedallionRunners();
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(settings)) {
      double startSeconds = Suites.seconds(t0);
      Suites.log(out, "[cluster] up in %.1f s at %s", startSeconds, cluster.webUi());
      FlinkClusterTarget.master(cluster.master());
      options.setMedallionRunners(LOCAL + "," + CLUSTER);
      PipelineSuites onDisk =
          new PipelineSuites(out, options, List.of(LOCAL, CLUSTER), workDir.resolve("pipelines"));
      onDisk.runSuites(false, true);
      double jobsSeconds = lastTwoJobsSeconds(cluster);
      PipelineSuites onHdfs = null;
      if (options.getClusterHdfs()) {
        onHdfs = passesOnHdfs(out, options, workDir);
      }
      return report(onDisk, onHdfs, startSeconds, jobsSeconds, cluster.settings());
    } finally {
      options.setMedallionRunners(runnersBefore);
      FlinkClusterTarget.master("");
    }
  }

  /** The cluster's passes again, with the lake on a real HDFS (NameNode + DataNode, one JVM). */
  private static PipelineSuites passesOnHdfs(
      PrintStream out, Benchmark.Options options, Path workDir) {
    Suites.log(out, "[cluster] starting HDFS (a NameNode and a DataNode) ...");
    try (HdfsServer hdfs = HdfsServer.start(workDir.resolve("hdfs"))) {
      Suites.log(
          out, "[cluster] HDFS up at %s: the cluster's passes with the lake there", hdfs.uri());
      options.setMedallionRunners(CLUSTER);
      PipelineSuites onHdfs =
          new PipelineSuites(out, options, List.of(CLUSTER), hdfs.uri() + "/bench");
      onHdfs.runSuites(false, true);
      return onHdfs;
    }
  }

  @SuppressWarnings("unchecked")
  private static Output report(
      PipelineSuites onDisk,
      PipelineSuites onHdfs,
      double startSeconds,
      double jobsSeconds,
      FlinkClusterSettings settings) {
    Map<String, Object> runners = (Map<String, Object>) onDisk.medallionJson.get("runners");
    Map<String, Object> local = pass(runners, LOCAL);
    Map<String, Object> remote = pass(runners, CLUSTER);
    double clusterSeconds = (double) remote.get("seconds");
    double ratio = clusterSeconds / (double) local.get("seconds");
    List<Double> clusterRuns = (List<Double>) remote.get("runSeconds");
    double lastPass = clusterRuns.get(clusterRuns.size() - 1);
    double overheadPerJob = (lastPass - jobsSeconds) / 2;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("clusterStartSeconds", BenchmarkResult.round(startSeconds, 3));
    json.put("taskManagers", settings.taskManagers());
    json.put("jobJar", FlinkClusterTarget.jobJarOnCluster() ? "lib" : "staged");
    json.put("slotsPerTaskManager", settings.slotsPerTaskManager());
    json.put("local", "Beam's [local]: a Flink MiniCluster per job");
    json.put("bestPassSecondsLocal", local.get("seconds"));
    json.put("bestPassSecondsCluster", remote.get("seconds"));
    json.put("clusterToLocalRatio", BenchmarkResult.round(ratio, 3));
    json.put("ratioTarget", RATIO_TARGET);
    json.put("lastClusterPassSeconds", BenchmarkResult.round(lastPass, 3));
    json.put("lastClusterPassJobSeconds", BenchmarkResult.round(jobsSeconds, 3));
    json.put("submissionOverheadSecondsPerJob", BenchmarkResult.round(overheadPerJob, 3));
    json.put("medallion", onDisk.medallionJson);
    List<String> lines = new ArrayList<>();
    lines.add("== cluster ==");
    lines.add(onDisk.medallionTable);
    lines.add(
        String.format(
            Locale.ROOT,
            "cluster/[local] best pass: %.2f s / %.2f s = %.2fx (target <= %.1fx): %s; submission"
                + " overhead %.2f s per job (last pass %.2f s, jobs on the cluster %.2f s);"
                + " cluster up in %.1f s; job jar %s",
            clusterSeconds,
            local.get("seconds"),
            ratio,
            RATIO_TARGET,
            ratio <= RATIO_TARGET ? "met" : "NOT met",
            overheadPerJob,
            lastPass,
            jobsSeconds,
            startSeconds,
            FlinkClusterTarget.jobJarOnCluster()
                ? "in the cluster's lib/ only (a placeholder staged)"
                : "staged with each job (and in lib/)"));
    if (onHdfs != null) {
      Map<String, Object> hdfsRunners = (Map<String, Object>) onHdfs.medallionJson.get("runners");
      double hdfsSeconds = (double) pass(hdfsRunners, CLUSTER).get("seconds");
      double hdfsRatio = hdfsSeconds / clusterSeconds;
      json.put("bestPassSecondsClusterOnHdfs", hdfsSeconds);
      json.put("hdfsToLocalDiskRatio", BenchmarkResult.round(hdfsRatio, 3));
      json.put("hdfsRatioTarget", HDFS_RATIO_TARGET);
      json.put("medallionOnHdfs", onHdfs.medallionJson);
      lines.add("-- the cluster's passes with the lake on HDFS --");
      lines.add(onHdfs.medallionTable);
      lines.add(
          String.format(
              Locale.ROOT,
              "cluster, lake on HDFS / on local disk, best pass: %.2f s / %.2f s = %.2fx (target"
                  + " <= %.1fx): %s",
              hdfsSeconds,
              clusterSeconds,
              hdfsRatio,
              HDFS_RATIO_TARGET,
              hdfsRatio <= HDFS_RATIO_TARGET ? "met" : "NOT met"));
    }
    return new Output(json, String.join(System.lineSeparator(), lines));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pass(Map<String, Object> runners, String runner) {
    return (Map<String, Object>) ((Map<String, Object>) runners.get(runner)).get("bronzeToGold");
  }

  /** Seconds the cluster reports for its two newest finished jobs (the last Silver and Gold). */
  private static double lastTwoJobsSeconds(FlinkSessionCluster cluster) throws IOException {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(cluster.webUi().resolve("/jobs/overview")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      List<JsonNode> finished = new ArrayList<>();
      new ObjectMapper()
          .readTree(body)
          .path("jobs")
          .forEach(
              j -> {
                if ("FINISHED".equals(j.path("state").asText())) {
                  finished.add(j);
                }
              });
      finished.sort(
          (a, b) -> Long.compare(b.path("start-time").asLong(), a.path("start-time").asLong()));
      return finished.stream().limit(2).mapToLong(j -> j.path("duration").asLong()).sum() / 1000.0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
