package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.GrafanaMetric;
import dev.ticklake.orchestrator.api.GrafanaOption;
import dev.ticklake.orchestrator.api.GrafanaText;
import dev.ticklake.orchestrator.serving.GrafanaLookups;
import dev.ticklake.orchestrator.serving.GrafanaMetrics;
import dev.ticklake.orchestrator.serving.GrafanaQueries;
import dev.ticklake.orchestrator.serving.GrafanaRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The Grafana JSON datasource API (the simPod plugin's contract) under {@code /grafana}: {@code GET
 * /} (test connection), {@code POST /metrics}, {@code /metric-payload-options}, {@code /query},
 * {@code /variable}, {@code /tag-keys}, {@code /tag-values}. Read-only and open like every GET of
 * the API. Bodies are JSON objects of at most {@code maxBodyBytes} (413 above); malformed JSON,
 * wrong types and unknown metrics, symbols, intervals or ranges are a 400 {@code {"code",
 * "message"}} saying what was wrong and what is accepted.
 */
@Path("/grafana")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class GrafanaResource {

  private final GrafanaMetrics metrics;
  private final GrafanaQueries queries;
  private final GrafanaLookups lookups;
  private final ObjectMapper json;
  private final int maxBodyBytes;

  public GrafanaResource(
      GrafanaMetrics metrics,
      GrafanaQueries queries,
      GrafanaLookups lookups,
      ObjectMapper json,
      int maxBodyBytes) {
    this.metrics = metrics;
    this.queries = queries;
    this.lookups = lookups;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** "Test connection": 200 with the service's name. */
  @GET
  public Map<String, String> health() {
    return Map.of("status", "ok", "service", "ticklake", "api", "grafana-json-datasource");
  }

  @POST
  @Path("metrics")
  public List<GrafanaMetric> metrics(
      InputStream body, @HeaderParam("Content-Length") Long contentLength) throws IOException {
    body(body, contentLength); // checked (size, JSON), not needed: every metric is listed
    return metrics.views();
  }

  @POST
  @Path("metric-payload-options")
  public List<GrafanaOption> payloadOptions(
      InputStream body, @HeaderParam("Content-Length") Long contentLength) throws IOException {
    JsonNode node = requireBody(body, contentLength);
    String metric = text(node, "metric");
    String name = text(node, "name");
    JsonNode payload = node.get("payload");
    if (payload != null && !payload.isNull() && !payload.isObject()) {
      throw ApiErrors.badRequest("payload must be an object");
    }
    return lookups.payloadOptions(metric, name, payload);
  }

  @POST
  @Path("query")
  public List<Object> query(InputStream body, @HeaderParam("Content-Length") Long contentLength)
      throws IOException {
    return queries.query(GrafanaRequest.parse(requireBody(body, contentLength)));
  }

  @POST
  @Path("variable")
  public List<GrafanaText> variable(
      InputStream body, @HeaderParam("Content-Length") Long contentLength) throws IOException {
    JsonNode node = requireBody(body, contentLength);
    JsonNode payload = node.get("payload");
    if (payload == null || !payload.isObject()) {
      throw ApiErrors.badRequest(
          "payload is required: {\"payload\": {\"target\": \"symbols\"}}; targets: "
              + String.join(", ", GrafanaLookups.VARIABLES));
    }
    return lookups.variable(text(payload, "target", "payload.target"));
  }

  @POST
  @Path("tag-keys")
  public List<GrafanaText> tagKeys(
      InputStream body, @HeaderParam("Content-Length") Long contentLength) throws IOException {
    body(body, contentLength);
    return lookups.tagKeys();
  }

  @POST
  @Path("tag-values")
  public List<GrafanaText> tagValues(
      InputStream body, @HeaderParam("Content-Length") Long contentLength) throws IOException {
    return lookups.tagValues(text(requireBody(body, contentLength), "key"));
  }

  private JsonNode body(InputStream body, Long contentLength) throws IOException {
    return JsonBodies.readObject(json, body, contentLength, maxBodyBytes).orElse(null);
  }

  private JsonNode requireBody(InputStream body, Long contentLength) throws IOException {
    JsonNode node = body(body, contentLength);
    if (node == null) {
      throw ApiErrors.badRequest("a JSON object body is required");
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    return text(node, field, field);
  }

  private static String text(JsonNode node, String field, String name) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw ApiErrors.badRequest(name + " is required (a string)");
    }
    if (!v.isTextual()) {
      throw ApiErrors.badRequest(name + " must be a string, got " + v);
    }
    return v.asText();
  }
}
