package dev.ticklake.servers;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One server JVM (a Flink JobManager or TaskManager, a NameNode, an S3 server...) started on the
 * classpath of the engine's module, its output in {@code <logDirectory>/<name>.log} and its pid in
 * {@code <name>.pid}, so that a script or a later JVM can find and stop it.
 *
 * <p>The classpath: the module of an anchor class (the engine's launcher, which loads without the
 * engine's jars) plus the entries of the {@code runtime-classpath.txt} resource next to it, written
 * by the build (see {@code servers/pom.xml}).
 *
 * <p>Why separate JVMs: the engines must be met as users meet them (a TaskManager can be killed
 * without killing the test), and their classpaths (Hadoop's Jetty 9, Flink's runtime) must not mix
 * with the service's.
 */
public final class ServerProcess implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "runtime-classpath.txt";

  private final String name;
  private final Process process;
  private final Path log;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** A JVM running {@code mainClass} on the classpath of {@code anchor}'s module. */
  public static Builder java(String name, Class<?> anchor, String mainClass) {
    return new Builder(name, anchor, mainClass);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The last {@code lines} lines of its output, for error messages. */
  public String logTail(int lines) {
    return tail(log, lines);
  }

  /**
   * Waits until {@code ready} holds, at most {@code timeout}; fails at once, with the end of the
   * log, if the JVM exits first.
   */
  public void awaitReady(Duration timeout, String what, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 10;
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before "
                + what
                + "; end of "
                + log
                + ":\n"
                + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + ": no " + what + " after " + timeout + "; end of " + log + ":\n" + logTail(40));
      }
      sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A TCP port on 127.0.0.1 that nothing listens on now (for a server to bind next). */
  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns once the JVM is gone. */
  public void stop(Duration grace) {
    stop(process.toHandle(), grace);
  }

  /** SIGKILL, as a crash or an OOM killer would, and waits until the JVM is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(process.toHandle(), Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** SIGTERM to {@code handle}, then SIGKILL after {@code grace}; used by the stop scripts too. */
  public static void stop(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    if (!waitFor(handle, grace)) {
      handle.destroyForcibly();
      waitFor(handle, Duration.ofSeconds(30));
    }
  }

  /** The JVM whose pid is in {@code pidFile}, when it still runs. */
  public static java.util.Optional<ProcessHandle> running(Path pidFile) {
    if (!Files.isRegularFile(pidFile)) {
      return java.util.Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The classes of {@code anchor}'s module plus that module's full runtime classpath (optional
   * dependencies included).
   */
  public static String classpath(Class<?> anchor) {
    List<String> entries = new ArrayList<>();
    entries.add(location(anchor));
    try (InputStream in = anchor.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLASSPATH_RESOURCE
                + " is missing next to "
                + anchor.getName()
                + ": build its module under servers/ first");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!text.isEmpty()) {
        entries.addAll(Arrays.asList(text.split(File.pathSeparator)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String location(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean waitFor(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !handle.isAlive();
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  /** How to start one server JVM. */
  public static final class Builder {
    private final String name;
    private final Class<?> anchor;
    private final String mainClass;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final List<String> extraClasspath = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path logDirectory = Path.of("target", "servers");

    private Builder(String name, Class<?> anchor, String mainClass) {
      this.name = name;
      this.anchor = anchor;
      this.mainClass = mainClass;
    }

    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    public Builder args(String... values) {
      args.addAll(List.of(values));
      return this;
    }

    public Builder args(List<String> values) {
      args.addAll(values);
      return this;
    }

    /** Entries put before this module's classpath (e.g. a configuration folder). */
    public Builder classpathFirst(String entry) {
      extraClasspath.add(entry);
      return this;
    }

    public Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /** Where {@code <name>.log} and {@code <name>.pid} go (default {@code target/servers}). */
    public Builder logDirectory(Path directory) {
      logDirectory = directory;
      return this;
    }

    public ServerProcess start() {
      try {
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        List<String> cp = new ArrayList<>(extraClasspath);
        cp.add(classpath(anchor));
        command.add(String.join(File.pathSeparator, cp));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Files.writeString(logDirectory.resolve(name + ".pid"), Long.toString(process.pid()));
        return new ServerProcess(name, process, log);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name, e);
      }
    }
  }
}
