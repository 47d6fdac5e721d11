package dev.ticklake.feeds.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka 3.9 cluster in this JVM: one {@link KafkaRaftServer} in KRaft combined mode
 * (broker and controller in one node, no ZooKeeper), listening on 127.0.0.1 only.
 *
 * <p><b>Lifecycle.</b> {@link #start()} or {@link Builder#start()} formats the storage (unless the
 * data directory was formatted before, so a persistent directory survives restarts), starts the
 * server and returns once an AdminClient {@code describeCluster} succeeds, or fails after the
 * startup timeout (default 30 s; startup takes 1–3 s). {@link #close()} shuts the node down, waits
 * for it and deletes the data directory if it was a temporary one. Not thread-safe: start and close
 * it from one thread; the broker itself serves any number of clients.
 *
 * <p><b>Settings a single node needs</b> (overridable with {@link Builder#brokerProperty}): the
 * internal topics ({@code __consumer_offsets}, {@code __transaction_state}) have replication factor
 * 1 and min ISR 1, the first consumer-group rebalance is not delayed, topics are never auto-created
 * (a typo must not create a topic), new topics get 1 partition by default, segments are 64 MiB,
 * data is kept for 7 days, and a record batch may be up to 4 MiB.
 *
 * <p><b>Ports.</b> Port 0 (the default) picks a free port; a port that is taken fails with {@code
 * port 9092 is in use; set kafka.port or stop the other broker}.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final int FREE_PORT_ATTEMPTS = 3;

  private final KafkaRaftServer server;
  private final int brokerPort;
  private final int controllerPort;
  private final Path dataDirectory;
  private final boolean deleteOnClose;
  private final String clusterId;
  private boolean closed;

  private EmbeddedKafka(
      KafkaRaftServer server,
      int brokerPort,
      int controllerPort,
      Path dataDirectory,
      boolean deleteOnClose,
      String clusterId) {
    this.server = server;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.dataDirectory = dataDirectory;
    this.deleteOnClose = deleteOnClose;
    this.clusterId = clusterId;
  }

  /** Starts a broker on free ports with a temporary data directory. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  /** A builder with the defaults: free ports, a temporary data directory, 30 s startup timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<brokerPort>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The port clients connect to. */
  public int brokerPort() {
    return brokerPort;
  }

  /** The port of the KRaft controller listener (not for clients). */
  public int controllerPort() {
    return controllerPort;
  }

  /** Where the log segments and the metadata log live. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The cluster id written when the storage was formatted. */
  public String clusterId() {
    return clusterId;
  }

  /** Shuts the node down and waits for it; deletes a temporary data directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      if (deleteOnClose) {
        deleteRecursively(dataDirectory);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", data " + dataDirectory + "]";
  }

  /** Options for {@link EmbeddedKafka}; not thread-safe, use once. */
  public static final class Builder {
    private int brokerPort;
    private int controllerPort;
    private Path dataDirectory;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /** The client port; 0 (the default) picks a free one. */
    public Builder brokerPort(int port) {
      this.brokerPort = requirePort(port);
      return this;
    }

    /** The controller port; 0 (the default) picks a free one. */
    public Builder controllerPort(int port) {
      this.controllerPort = requirePort(port);
      return this;
    }

    /**
     * Keeps the data in {@code directory} (created if missing, not deleted on close); formatted on
     * first use, reused as is afterwards. Default: a new temporary directory, deleted on close.
     */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** How long {@link #start()} waits for the broker to answer. Default 30 s. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets or overrides one broker setting, e.g. {@code log.retention.hours}. */
    public Builder brokerProperty(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Formats the storage, starts the node and waits until it answers.
     *
     * @throws IllegalStateException if a configured port is in use, or the broker does not answer
     *     within the startup timeout
     */
    public EmbeddedKafka start() {
      boolean temporary = dataDirectory == null;
      Path directory;
      try {
        directory =
            temporary ? Files.createTempDirectory("ticklake-kafka-") : createDirs(dataDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Kafka data directory: " + e, e);
      }
      try {
        return startWithRetries(directory, temporary);
      } catch (RuntimeException e) {
        if (temporary) {
          deleteRecursively(directory);
        }
        throw e;
      }
    }

    private EmbeddedKafka startWithRetries(Path directory, boolean temporary) {
      // A free port we picked can be taken by someone else before the broker binds it: retry
      // with new ones. A port the caller chose is checked up front and never retried.
      for (int attempt = 1; ; attempt++) {
        Ports.checkFree(brokerPort, "kafka.port");
        Ports.checkFree(controllerPort, "kafka.controllerPort");
        int broker = brokerPort != 0 ? brokerPort : Ports.freePort();
        int controller = controllerPort != 0 ? controllerPort : Ports.freePort(broker);
        try {
          return startOnce(directory, temporary, broker, controller);
        } catch (PortTakenException e) {
          boolean picked =
              (e.port == broker && brokerPort == 0)
                  || (e.port == controller && controllerPort == 0);
          if (!picked || attempt >= FREE_PORT_ATTEMPTS) {
            throw new IllegalStateException(Ports.portInUseMessage(e.port, settingFor(e.port)), e);
          }
        }
      }
    }

    private String settingFor(int port) {
      return port == controllerPort ? "kafka.controllerPort" : "kafka.port";
    }

    private EmbeddedKafka startOnce(Path directory, boolean temporary, int broker, int controller) {
      Map<String, String> props = BrokerConfig.of(directory, broker, controller);
      props.putAll(overrides);
      KafkaConfig config = new KafkaConfig(props);
      String clusterId = format(directory);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        BindException bind = findCause(e, BindException.class);
        if (bind != null) {
          throw new PortTakenException(portOf(bind, broker, controller), e);
        }
        throw new IllegalStateException("The embedded Kafka broker failed to start: " + e, e);
      }
      EmbeddedKafka kafka =
          new EmbeddedKafka(server, broker, controller, directory, temporary, clusterId);
      try {
        awaitReady(kafka.bootstrapServers(), startupTimeout);
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        throw e;
      }
      return kafka;
    }

    /** Formats the storage unless a previous run did; returns the cluster id. */
    private static String format(Path directory) {
      Path meta = directory.resolve("meta.properties");
      if (Files.exists(meta)) {
        return readClusterId(meta);
      }
      String clusterId = Uuid.randomUuid().toString();
      Formatter formatter =
          new Formatter()
              .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
              .setNodeId(BrokerConfig.NODE_ID)
              .setClusterId(clusterId)
              .addDirectory(directory.toString())
              .setMetadataLogDirectory(directory.toString())
              .setControllerListenerName(BrokerConfig.CONTROLLER_LISTENER)
              .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
              .setIgnoreFormatted(true);
      try {
        formatter.run();
      } catch (Exception e) {
        throw new IllegalStateException(
            "Cannot format Kafka storage in " + directory + ": " + e, e);
      }
      return clusterId;
    }
  }

  private static void awaitReady(String bootstrapServers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 20);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(config)) {
      // The admin client retries internally until its API timeout: one call is the wait loop.
      long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) remainingMs))
          .nodes()
          .get(remainingMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "The embedded Kafka broker at "
              + bootstrapServers
              + " did not answer within "
              + timeout.toSeconds()
              + " s: "
              + (e.getCause() != null ? e.getCause() : e),
          e);
    }
  }

  private static int portOf(BindException bind, int broker, int controller) {
    String message = String.valueOf(bind.getMessage());
    return message.contains(":" + controller) ? controller : broker;
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException ignored) {
      // Already failing; the original error is the one worth reporting.
    }
  }

  private static String readClusterId(Path meta) {
    try (Stream<String> lines = Files.lines(meta)) {
      return lines
          .filter(line -> line.startsWith("cluster.id="))
          .map(line -> line.substring("cluster.id=".length()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(meta + " has no cluster.id"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + meta, e);
    }
  }

  private static Path createDirs(Path directory) throws IOException {
    return Files.createDirectories(directory);
  }

  private static int requirePort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535: " + port);
    }
    return port;
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      // Kafka's own recursive delete: feeds does not depend on transforms (Directories).
      Utils.delete(directory.toFile());
    } catch (IOException e) {
      // Best effort: a leftover temp directory is not worth failing a close for.
    }
  }

  /** The broker could not bind one of its ports. */
  private static final class PortTakenException extends RuntimeException {
    final int port;

    PortTakenException(int port, Throwable cause) {
      super("port " + port + " is taken", cause);
      this.port = port;
    }
  }
}
