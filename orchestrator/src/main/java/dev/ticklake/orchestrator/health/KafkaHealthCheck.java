package dev.ticklake.orchestrator.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/**
 * {@value #NAME}: healthy when Kafka at the configured (or the demo's embedded) bootstrap servers
 * answers {@code describeCluster} within the timeout. The message names the servers and, when
 * unhealthy, the cause. Each check opens and closes its own admin client (the check runs rarely).
 */
public final class KafkaHealthCheck extends HealthCheck {

  public static final String NAME = "kafka";

  private final String bootstrapServers;
  private final Duration timeout;

  public KafkaHealthCheck(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  protected Result check() {
    int ms = (int) Math.max(1, timeout.toMillis());
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
            (long) ms,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
            (long) ms,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            200L,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "ticklake-healthcheck");
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (RuntimeException e) {
      return Result.unhealthy(
          "cannot create a Kafka client for bootstrap servers " + bootstrapServers + ": " + e);
    }
    try {
      DescribeClusterResult cluster =
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms));
      Collection<Node> nodes = cluster.nodes().get(ms + 500L, TimeUnit.MILLISECONDS);
      String id = cluster.clusterId().get(ms + 500L, TimeUnit.MILLISECONDS);
      return Result.healthy(
          "Kafka at " + bootstrapServers + ": cluster " + id + ", " + nodes.size() + " broker(s)");
    } catch (ExecutionException e) {
      return unreachable(e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      return unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreachable(e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  private Result unreachable(Throwable cause) {
    return Result.unhealthy(
        "Kafka at "
            + bootstrapServers
            + " did not answer within "
            + timeout.toMillis()
            + " ms: "
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + " (is the broker running? check kafka.bootstrapServers /"
            + " TICKLAKE_KAFKA_BOOTSTRAP_SERVERS)");
  }
}
