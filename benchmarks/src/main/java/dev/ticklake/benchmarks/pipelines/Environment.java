package dev.ticklake.benchmarks.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine and JVM a benchmark ran on. {@code peakRssBytes} is the JVM's high-water mark of
 * resident memory ({@code VmHWM} in {@code /proc/self/status}; -1 where there is no procfs), taken
 * when this is captured, so capture it at the end of the run. The 1-minute load averages at the
 * start and end of the run tell whether other processes competed for the cores (the figures are
 * only comparable between runs on an otherwise idle machine).
 */
public record Environment(
    String timestamp,
    String gitCommit,
    String javaVersion,
    String javaVm,
    String os,
    int cores,
    long heapMaxBytes,
    long peakRssBytes,
    double loadAverageAtStart,
    double loadAverageAtEnd) {

  /** Captures the environment at the end of a run that started with the given load average. */
  static Environment capture(double loadAverageAtStart) {
    return new Environment(
        Instant.now().toString(),
        readGitCommit(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory(),
        readPeakRss(),
        loadAverageAtStart,
        readLoadAverage());
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("javaVersion", javaVersion);
    m.put("javaVm", javaVm);
    m.put("os", os);
    m.put("cores", cores);
    m.put("heapMaxBytes", heapMaxBytes);
    m.put("peakRssBytes", peakRssBytes);
    m.put("loadAverageAtStart", loadAverageAtStart);
    m.put("loadAverageAtEnd", loadAverageAtEnd);
    return m;
  }

  /** {@code VmHWM} of this process in bytes, or -1. */
  public static long readPeakRss() {
    return readPeakRss("self");
  }

  /**
   * {@code VmHWM} of process {@code pid} (e.g. a child the benchmark started) in bytes, or -1 when
   * the process is gone or there is no procfs.
   */
  public static long readPeakRss(long pid) {
    return readPeakRss(Long.toString(pid));
  }

  private static long readPeakRss(String proc) {
    return readStatusBytes(proc, "VmHWM:");
  }

  /**
   * {@code VmRSS} (the resident set now) of process {@code pid} in bytes, or -1 when the process is
   * gone or there is no procfs.
   */
  public static long readRss(long pid) {
    return readStatusBytes(Long.toString(pid), "VmRSS:");
  }

  /** A {@code kB} field of {@code /proc/<proc>/status} in bytes, or -1. */
  private static long readStatusBytes(String proc, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", proc, "status"))) {
        if (line.startsWith(field)) {
          // "VmHWM:    123456 kB"
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // No procfs (not Linux): the figure is simply unknown.
    }
    return -1;
  }

  /**
   * Resets this process's peak RSS ({@code VmHWM}) to the current RSS, so that the next {@link
   * #readPeakRss()} reports the peak of what ran since (Linux: {@code 5} into {@code
   * /proc/self/clear_refs}). Returns false where that is not possible; the peak is then the
   * process's.
   */
  public static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The 1-minute load average ({@code /proc/loadavg}), or -1. */
  public static double readLoadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The commit of the working directory's git checkout ("+dirty" if changed), or null. */
  static String readGitCommit() {
    try {
      String head = git("rev-parse", "HEAD");
      if (head == null) {
        return null;
      }
      String status = git("status", "--porcelain", "--untracked-files=no");
      return status == null || status.isEmpty() ? head : head + "+dirty";
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String git(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    return p.exitValue() == 0 ? out : null;
  }
}
