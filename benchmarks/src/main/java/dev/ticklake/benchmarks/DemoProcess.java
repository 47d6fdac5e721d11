package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.Environment;
import dev.ticklake.orchestrator.TickLakeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ticklake demo} child process of the freshness suite, on this JVM's class path, with
 * its output in a log file. Tracks the child's peak RSS ({@code VmHWM}) while it is sampled.
 */
final class DemoProcess {
  private static final Pattern API = Pattern.compile("API:\\s+http://localhost:(\\d+)/");

  private final Process process;
  private final Path log;
  private long peakRss = -1;

  private DemoProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code ticklake demo config} in {@code workDir}, output to {@code log}. */
  static DemoProcess start(Path workDir, List<String> javaOpts, Path config, Path log)
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
    return new DemoProcess(process, log);
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

  /** The highest {@code VmHWM} sampled, in bytes; -1 if none was readable. */
  long peakRss() {
    return peakRss;
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
