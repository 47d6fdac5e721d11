package dev.ticklake.orchestrator.resources;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/v1/health}: the admin port's health checks (scheduler heartbeat, Kafka, database,
 * lake root) and the build version, on the application port so the web UI can show them without a
 * second origin. Always 200: the body says what is unhealthy.
 */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

  /** One check's outcome. */
  public record Check(String name, boolean healthy, String message) {}

  /** The answer: every check, and whether all are healthy. */
  public record HealthView(String name, String version, boolean healthy, List<Check> checks) {}

  private final HealthCheckRegistry checks;
  private final String name;
  private final String version;

  public HealthResource(HealthCheckRegistry checks, String name, String version) {
    this.checks = Objects.requireNonNull(checks);
    this.name = name;
    this.version = version;
  }

  @GET
  public HealthView health() {
    List<Check> out = new ArrayList<>();
    boolean all = true;
    for (Map.Entry<String, HealthCheck.Result> e : checks.runHealthChecks().entrySet()) {
      HealthCheck.Result r = e.getValue();
      out.add(new Check(e.getKey(), r.isHealthy(), r.getMessage()));
      all &= r.isHealthy();
    }
    return new HealthView(name, version, all, out);
  }
}
