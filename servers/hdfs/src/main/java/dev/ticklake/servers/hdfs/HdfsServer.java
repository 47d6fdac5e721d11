package dev.ticklake.servers.hdfs;

import dev.ticklake.servers.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real HDFS (one NameNode, one DataNode: Hadoop's {@code MiniDFSCluster}) in a child JVM on
 * 127.0.0.1, its blocks and metadata under a given folder. JDK only: tests in other modules depend
 * on this class, not on Hadoop's server jars.
 *
 * <p>The child writes {@value #URI_FILE} in its folder once the DataNode has registered; that file
 * is the readiness signal and tells a later JVM (the stop script) where it runs.
 */
public final class HdfsServer implements AutoCloseable {
  /** Written by the child once HDFS accepts writes: {@code hdfs://127.0.0.1:PORT}. */
  public static final String URI_FILE = "hdfs.uri";

  static final String NAME = "hdfs";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ServerProcess process;
  private final String uri;

  private HdfsServer(ServerProcess process, String uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts HDFS with its data under {@code dir} on a free port; returns once it accepts writes. */
  public static HdfsServer start(Path dir) {
    return start(dir, ServerProcess.freePort());
  }

  /** As {@link #start(Path)}, with the NameNode's RPC on {@code port}. */
  public static HdfsServer start(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(URI_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerProcess process =
        ServerProcess.java(NAME, HdfsServer.class, HdfsMain.class.getName())
            .jvmOptions("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
            .args(dir.toAbsolutePath().toString(), Integer.toString(port))
            .logDirectory(dir)
            .start();
    try {
      process.awaitReady(
          START_TIMEOUT, "HDFS ready (" + URI_FILE + ")", () -> uriIn(dir).isPresent());
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
    return new HdfsServer(process, uriIn(dir).orElseThrow());
  }

  /** The file system's URI, {@code hdfs://127.0.0.1:PORT}; a lake root is a path under it. */
  public String uri() {
    return uri;
  }

  public ServerProcess process() {
    return process;
  }

  /** Stops HDFS (SIGTERM: the NameNode and DataNode shut down; data stays in the folder). */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }

  /** The URI of the HDFS whose folder is {@code dir}, once it has written it. */
  public static Optional<String> uriIn(Path dir) {
    Path file = dir.resolve(URI_FILE);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
