package dev.ticklake.benchmarks.pipelines;

import dev.ticklake.pipelines.PlaceholderJobJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * Where the benchmark's {@code flink-cluster} runner submits: the REST endpoint of the standalone
 * session cluster the {@code cluster} suite started ({@link ClusterSuite}), and the pipelines' job
 * jar staged with each job, as {@code runner: flink-remote} does in the orchestrator.
 */
final class FlinkClusterTarget {
  static final String JOB_JAR_PROPERTY = "ticklake.flinkJobJar";
  static final String DEFAULT_JOB_JAR = "pipelines/target/ticklake-pipelines-job.jar";

  private static volatile String master = "";
  private static volatile boolean jobJarOnCluster;

  private FlinkClusterTarget() {}

  static void master(String hostPort) {
    master = hostPort;
  }

  /** {@code lib}: stage a placeholder, the cluster has the jar in lib/; {@code staged}: the jar. */
  static void jobJar(String mode) {
    switch (mode) {
      case "staged" -> jobJarOnCluster = false;
      case "lib" -> jobJarOnCluster = true;
      default ->
          throw new IllegalArgumentException(
              "--clusterJobJar must be staged or lib, got '" + mode + "'");
    }
  }

  static boolean jobJarOnCluster() {
    return jobJarOnCluster;
  }

  /** The job jar: system property {@value #JOB_JAR_PROPERTY}, else {@value #DEFAULT_JOB_JAR}. */
  static Path jobJar() {
    Path jar = Path.of(System.getProperty(JOB_JAR_PROPERTY, DEFAULT_JOB_JAR));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the cluster suite needs the job jar "
              + jar.toAbsolutePath()
              + ": build it with ./mvnw -o -pl pipelines -am package -DskipTests");
    }
    return jar;
  }

  /** FlinkRunner options for the cluster; the master is set when the cluster suite runs. */
  static void configure(FlinkPipelineOptions o, int workers) {
    o.setFlinkMaster(master.isEmpty() ? "127.0.0.1:8081" : master);
    Path staged = jobJarOnCluster ? PlaceholderJobJar.path() : jobJar().toAbsolutePath();
    o.setFilesToStage(master.isEmpty() ? null : List.of(staged.toString()));
    o.setParallelism(workers);
    o.setStreaming(false);
    o.setObjectReuse(true);
  }
}
