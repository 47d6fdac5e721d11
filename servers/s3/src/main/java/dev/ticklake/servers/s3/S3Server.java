package dev.ticklake.servers.s3;

import dev.ticklake.servers.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An S3-compatible server (s3proxy over a folder of the local disk: jclouds' {@code filesystem}
 * blob store, one sub-folder per bucket) in a child JVM on 127.0.0.1, with AWS v2/v4 signatures
 * checked against one access key. JDK only: tests in other modules depend on this class, not on
 * s3proxy's jars.
 */
public final class S3Server implements AutoCloseable {
  /** The access key and secret the server accepts (test credentials, loopback only). */
  public static final String ACCESS_KEY = "ticklake";

  public static final String SECRET_KEY = "ticklake-secret";

  /** Written once the server listens: {@code http://127.0.0.1:PORT}. */
  public static final String ENDPOINT_FILE = "s3.endpoint";

  static final String NAME = "s3proxy";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ServerProcess process;
  private final int port;

  private S3Server(ServerProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the server with its objects under {@code dir}/data, on a free port, with {@code bucket}.
   */
  public static S3Server start(Path dir, String bucket) {
    return start(dir, ServerProcess.freePort(), bucket);
  }

  /** As {@link #start(Path, String)}, on {@code port}. */
  public static S3Server start(Path dir, int port, String bucket) {
    Path data = dir.resolve("data");
    Path properties = dir.resolve("s3proxy.properties");
    try {
      Files.deleteIfExists(dir.resolve(ENDPOINT_FILE));
      // A bucket of the filesystem blob store is a folder: created here, before s3a first asks.
      Files.createDirectories(data.resolve(bucket));
      Files.writeString(properties, properties(port, data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerProcess process =
        ServerProcess.java(NAME, S3Server.class, "org.gaul.s3proxy.Main")
            .jvmOptions(
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=dev/ticklake/servers/s3/logback-s3proxy.xml")
            .args("--properties", properties.toAbsolutePath().toString())
            .logDirectory(dir)
            .start();
    try {
      process.awaitReady(START_TIMEOUT, "S3 on port " + port, () -> ServerProcess.listening(port));
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
    try {
      Files.writeString(dir.resolve(ENDPOINT_FILE), "http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3Server(process, port);
  }

  /** The endpoint of the server whose folder is {@code dir}, once it has started. */
  public static Optional<String> endpointIn(Path dir) {
    try {
      Path file = dir.resolve(ENDPOINT_FILE);
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file).trim())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The endpoint, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public ServerProcess process() {
    return process;
  }

  /**
   * The Hadoop settings that point s3a at this server: endpoint, path-style access (no bucket
   * sub-domains on 127.0.0.1), plain HTTP, and the credentials. A lake root is then {@code
   * s3a://BUCKET/lake}.
   */
  public Map<String, String> s3aSettings() {
    return s3aSettings(endpoint());
  }

  /** {@link #s3aSettings()} for the server at {@code endpoint}. */
  public static Map<String, String> s3aSettings(String endpoint) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("fs.s3a.endpoint", endpoint);
    settings.put("fs.s3a.endpoint.region", "us-east-1");
    settings.put("fs.s3a.path.style.access", "true");
    settings.put("fs.s3a.connection.ssl.enabled", "false");
    settings.put("fs.s3a.access.key", ACCESS_KEY);
    settings.put("fs.s3a.secret.key", SECRET_KEY);
    settings.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    // A read of this local server that stalls is retried after 20 s rather than s3a's default
    // 200 s socket timeout: in one CI run, a planner's read of a _delta_log file hung for minutes.
    settings.put("fs.s3a.connection.timeout", "20000");
    return settings;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }

  private static String properties(int port, Path data) {
    return String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data.toAbsolutePath())
        + "\n";
  }
}
