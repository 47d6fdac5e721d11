package dev.ticklake.orchestrator.resources;

import static dev.ticklake.orchestrator.resources.ApiErrors.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.BackfillView;
import dev.ticklake.orchestrator.core.backfill.Backfills;
import dev.ticklake.orchestrator.db.Backfill;
import dev.ticklake.orchestrator.db.BackfillDao;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Backfills under {@code /api/v1/backfills}: create, list, get (with run counts per state), cancel.
 * A rejected request (400, 404, 409, 413; {@link ApiExceptionMappers} answers the ones {@link
 * Backfills} rejects) creates nothing. Authentication of the POSTs is the global filter's job (see
 * the auth contract), not this resource's.
 */
@Path("/api/v1/backfills")
@Produces(MediaType.APPLICATION_JSON)
public final class BackfillsResource {

  /** Largest accepted create body. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final List<String> FIELDS =
      List.of("dagId", "from", "to", "maxActiveRuns", "conf");

  private final Backfills backfills;
  private final BackfillDao dao;
  private final ObjectMapper json = new ObjectMapper();

  public BackfillsResource(Backfills backfills, BackfillDao dao) {
    this.backfills = Objects.requireNonNull(backfills);
    this.dao = Objects.requireNonNull(dao);
  }

  /**
   * Creates a backfill. Body: {@code {"dagId": "medallion", "from": "2026-01-01T00:00:00Z", "to":
   * "2026-01-02T00:00:00Z", "maxActiveRuns": 2, "conf": {...}}} ({@code maxActiveRuns} defaults to
   * 1, {@code conf} to none). 201 with the backfill.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(
      @HeaderParam("Content-Length") Long contentLength,
      InputStream body,
      @Context SecurityContext security)
      throws IOException {
    JsonNode node =
        JsonBodies.readObject(json, body, contentLength, MAX_BODY_BYTES)
            .orElseThrow(
                () -> error(400, "body required: {\"dagId\": ..., \"from\": ..., \"to\": ...}"));
    RequestChecks.rejectUnknownFields(node, FIELDS);
    String dagId = requiredText(node, "dagId");
    Instant from = instant(node, "from");
    Instant to = instant(node, "to");
    int maxActiveRuns = 1;
    JsonNode max = node.get("maxActiveRuns");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || !max.isIntegralNumber()) {
        throw error(400, "maxActiveRuns must be an integer, got " + max);
      }
      maxActiveRuns = max.asInt();
    }
    String conf = null;
    JsonNode c = node.get("conf");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw error(400, "conf must be a JSON object, got " + c.getNodeType());
      }
      conf = json.writeValueAsString(c);
    }
    Backfill created =
        backfills.create(dagId, from, to, maxActiveRuns, conf, RequestChecks.actor(security));
    return Response.created(URI.create("/api/v1/backfills/" + created.id()))
        .entity(view(created))
        .build();
  }

  @GET
  public List<BackfillView> list(
      @QueryParam("dagId") String dagId, @QueryParam("limit") String limitText) {
    int limit = RequestChecks.intParam("limit", limitText, 100, 1, 1000);
    return dao.list(Optional.ofNullable(dagId).filter(d -> !d.isBlank()), limit).stream()
        .map(this::view)
        .toList();
  }

  @GET
  @Path("{id}")
  public BackfillView get(@PathParam("id") long id) {
    return view(backfills.find(id));
  }

  /** Cancels: no new runs; running ones finish; not-started ones fail. 409 when already over. */
  @POST
  @Path("{id}/cancel")
  @Consumes(MediaType.WILDCARD)
  public BackfillView cancel(@PathParam("id") long id, @Context SecurityContext security) {
    return view(backfills.cancel(id, RequestChecks.actor(security)));
  }

  private BackfillView view(Backfill b) {
    return BackfillView.of(b, dao.runCounts(b.id()));
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || !v.isTextual() || v.asText().isBlank()) {
      throw error(400, field + " is required (a non-empty string)");
    }
    return v.asText();
  }

  /** An ISO-8601 instant: {@code 2026-01-01T00:00:00Z} or with an offset ({@code +02:00}). */
  private static Instant instant(JsonNode node, String field) {
    String text = requiredText(node, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        throw error(
            400, field + " is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z): '" + text + "'");
      }
    }
  }
}
