package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reading small JSON request bodies safely: a size limit (413), strict parsing (400), errors as
 * {@link ApiErrors}.
 */
final class JsonBodies {

  /** Oversized bodies are read up to this much before answering 413, so the client sees it. */
  private static final long MAX_DRAINED_BYTES = 16L << 20;

  private JsonBodies() {}

  /**
   * The body as a JSON object, or empty when there is no body (or only whitespace).
   *
   * @throws WebApplicationException 413 over {@code maxBytes}, 400 when not a JSON object
   */
  static Optional<JsonNode> readObject(
      ObjectMapper json, InputStream body, Long contentLength, int maxBytes) throws IOException {
    if (contentLength != null && contentLength > maxBytes) {
      drain(body);
      throw ApiErrors.error(
          Response.Status.REQUEST_ENTITY_TOO_LARGE, "body over " + maxBytes + " bytes");
    }
    byte[] bytes = body == null ? new byte[0] : body.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      drain(body);
      throw ApiErrors.error(
          Response.Status.REQUEST_ENTITY_TOO_LARGE, "body over " + maxBytes + " bytes");
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiErrors.error(
          Response.Status.BAD_REQUEST, "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiErrors.error(Response.Status.BAD_REQUEST, "body must be a JSON object");
    }
    return Optional.of(node);
  }

  private static void drain(InputStream body) throws IOException {
    if (body == null) {
      return;
    }
    long drained = 0;
    byte[] buffer = new byte[8192];
    for (int n; drained < MAX_DRAINED_BYTES && (n = body.read(buffer)) > 0; ) {
      drained += n;
    }
  }
}
