package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.Environment;
import dev.ticklake.orchestrator.TickLakeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ticklake demo} child process of the freshness and dashboard suites, on this JVM's
 * class path, with its output in a log file. Tracks the child's peak RSS ({@code VmHWM}) while it
 * is sampled.
 */
final class DemoProcess {
  private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/");

  private final Process process;
  private final Path log;
  private final int kafkaPort;
  private long peakRss = -1;

  private DemoProcess(Process process, Path log, int kafkaPort) {
    this.process = process;
    this.log = log;
    this.kafkaPort = kafkaPort;
  }

  /**
   * Starts the demo on a temp lake and database in {@code workDir} ({@link DemoConfig}: its broker
   * on a free port, the feed at {@code feedRate}), output to {@code workDir/demo.log}.
   */
  static DemoProcess launch(
      Path workDir, List<String> javaOpts, double feedRate, String runner, String schedule)
      throws IOException {
    int kafkaPort = freePort();
    Path config = DemoConfig.write(workDir, kafkaPort, feedRate, runner, schedule);
    return start(workDir, javaOpts, config, workDir.resolve("demo.log"), kafkaPort);
  }

  /** The demo's JVM options from a space-separated text (none when blank). */
  static List<String> javaOpts(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  private static DemoProcess start(
      Path workDir, List<String> javaOpts, Path config, Path log, int kafkaPort)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOpts);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TickLakeApplication.class.getName());
    command.add("demo");
    command.add(config.toString());
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new DemoProcess(process, log, kafkaPort);
  }

  Path log() {
    return log;
  }

  /** The demo broker's bootstrap servers. */
  String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  /** The demo's API base URL, once it printed it (within 3 minutes). */
  String awaitApi() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = API.matcher(text);
      if (m.find()) {
        return "http://127.0.0.1:" + m.group(1) + "/api/v1";
      }
      checkAlive();
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the demo did not print its API URL within 3 minutes; " + log);
  }

  /** Fails if the demo exited: it runs until {@link #stop}. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the demo exited (" + process.exitValue() + "); see " + log);
    }
  }

  void samplePeakRss() {
    peakRss = Math.max(peakRss, Environment.readPeakRss(process.pid()));
  }

  /** The demo's {@code VmRSS} now, in bytes; -1 if not readable. */
  long rss() {
    return Environment.readRss(process.pid());
  }

  /** The highest {@code VmHWM} sampled, in bytes; -1 if none was readable. */
  long peakRss() {
    return peakRss;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * SIGTERM (the demo stops its scheduler, feed and broker), sampling RSS until it exits; SIGKILL
   * after 60 s.
   */
  void stop() throws InterruptedException {
    process.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (process.isAlive() && System.nanoTime() < deadline) {
      samplePeakRss();
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
