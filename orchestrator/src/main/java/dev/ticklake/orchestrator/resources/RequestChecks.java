package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.auth.ApiPrincipal;
import dev.ticklake.orchestrator.core.dag.DagDefinition;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.orchestrator.db.Actor;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/** The checks several resources make of a request, failing with {@link ApiErrors}. */
final class RequestChecks {
  private RequestChecks() {}

  /** The loaded DAG; 404 {@code no DAG '<id>'} when there is none. */
  static DagDefinition requireDag(Scheduler scheduler, String dagId) {
    DagDefinition dag = scheduler.dags().get(dagId);
    if (dag == null) {
      throw ApiErrors.notFound("no DAG '" + dagId + "'");
    }
    return dag;
  }

  /**
   * The authenticated caller ({@code user:<name>} or {@code token:…}); the filter guarantees one on
   * mutating calls, 401 otherwise.
   */
  static Actor actor(SecurityContext security) {
    return ApiPrincipal.of(security)
        .map(ApiPrincipal::actor)
        .orElseThrow(() -> ApiErrors.error(401, "authentication required"));
  }

  /** 400 for the first field of {@code node} not in {@code known} (listed in this order). */
  static void rejectUnknownFields(JsonNode node, List<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        String camel = FieldNames.camelCase(field);
        String hint = known.contains(camel) ? "did you mean '" + camel + "'? " : "";
        throw ApiErrors.badRequest(
            "unknown field '" + field + "' (" + hint + "known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** A query parameter in {@code [min, max]}, {@code dflt} when absent; 400 otherwise. */
  static int intParam(String name, String text, int dflt, int min, int max) {
    if (text == null || text.isBlank()) {
      return dflt;
    }
    long v = longParam(name, text);
    if (v < min || v > max) {
      throw ApiErrors.badRequest(name + " must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  /** A non-negative whole-number query parameter; 400 otherwise. */
  static long longParam(String name, String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v < 0) {
        throw ApiErrors.badRequest(name + " must not be negative, got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiErrors.badRequest(name + " must be a whole number, got '" + text + "'");
    }
  }

  /** What {@code parse} returns; 400 with its message when it throws IllegalArgumentException. */
  static <T> T orBadRequest(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw ApiErrors.badRequest(e.getMessage());
    }
  }
}
