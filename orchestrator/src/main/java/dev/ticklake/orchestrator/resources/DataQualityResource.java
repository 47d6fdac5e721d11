package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.api.DataQualityView;
import dev.ticklake.orchestrator.core.quality.DataQualityReader;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/v1/data-quality?table=silver/ticks[&from=&to=&limit=]}: the rows of {@code
 * silver/dq_metrics} for a table, per batch (latest first) and expectation. {@code from}/{@code
 * to}: ISO-8601 instants bounding the batch start ({@code [from, to)}); {@code limit}: batches,
 * default 20, at most 1000. 400 for a bad parameter.
 */
@Path("/api/v1/data-quality")
@Produces(MediaType.APPLICATION_JSON)
public final class DataQualityResource {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;

  private final DataQualityReader reader;

  public DataQualityResource(DataQualityReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  @GET
  public DataQualityView metrics(
      @QueryParam("table") String table,
      @QueryParam("from") String fromText,
      @QueryParam("to") String toText,
      @QueryParam("limit") String limitText) {
    if (table == null || table.isBlank()) {
      throw ApiErrors.badRequest("table is required, e.g. table=silver/ticks");
    }
    TableDef def = RequestChecks.orBadRequest(() -> TableCatalog.byId(table.trim()));
    Optional<Instant> from = instant("from", fromText);
    Optional<Instant> to = instant("to", toText);
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw ApiErrors.badRequest("from must be before to");
    }
    int limit = RequestChecks.intParam("limit", limitText, DEFAULT_LIMIT, 1, MAX_LIMIT);
    List<DataQualityReader.BatchMetrics> batches = reader.read(def, from, to, limit);
    return new DataQualityView(def.id(), batches.stream().map(DataQualityView.Batch::of).toList());
  }

  private static Optional<Instant> instant(String name, String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.trim()));
    } catch (DateTimeParseException e) {
      throw ApiErrors.badRequest(
          name + " must be an ISO-8601 instant such as 2026-11-20T14:30:00Z, got '" + text + "'");
    }
  }
}
