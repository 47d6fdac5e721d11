package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.orchestrator.api.GrafanaMetric.Payload;
import dev.ticklake.orchestrator.api.GrafanaOption;
import dev.ticklake.orchestrator.api.GrafanaText;
import dev.ticklake.orchestrator.serving.GrafanaMetrics.Metric;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lookups of the Grafana API: payload options ({@code /metric-payload-options}), query
 * variables ({@code /variable}: symbols, metrics, DAGs, expectations, intervals) and ad-hoc filter
 * keys and values ({@code /tag-keys}, {@code /tag-values}: {@code symbol}). Unknown names are a 400
 * listing the accepted ones.
 */
public final class GrafanaLookups {

  /** The variables {@code /variable} answers, by its {@code payload.target}. */
  public static final List<String> VARIABLES =
      List.of("symbols", "intervals", "metrics", "dags", "expectations", "quality_tables");

  /** The ad-hoc filter keys. */
  public static final List<String> TAG_KEYS = List.of("symbol");

  private final MarketData market;
  private final GrafanaMetrics metrics;
  private final PipelineStats pipeline;

  public GrafanaLookups(MarketData market, GrafanaMetrics metrics, PipelineStats pipeline) {
    this.market = market;
    this.metrics = metrics;
    this.pipeline = pipeline;
  }

  /** The options of payload {@code name} of {@code metric} (the payload's table when needed). */
  public List<GrafanaOption> payloadOptions(String metricName, String name, JsonNode payload) {
    Metric metric = metrics.require(metricName);
    Payload p =
        GrafanaMetrics.payload(metric, name)
            .orElseThrow(
                () ->
                    ServingRequestException.badRequest(
                        "metric "
                            + metricName
                            + " has no payload '"
                            + name
                            + "'; its payloads: "
                            + metric.payloads().stream().map(Payload::name).toList()));
    if (p.options() != null) {
      return p.options();
    }
    return switch (name) {
      case GrafanaMetrics.SYMBOL -> options(market::symbols);
      case GrafanaMetrics.DAG -> options(pipeline::dagIds);
      case GrafanaMetrics.EXPECTATION -> {
        JsonNode table = payload == null ? null : payload.get(GrafanaMetrics.TABLE);
        String id =
            table != null && table.isTextual() ? table.asText() : TableCatalog.SILVER_TICKS.id();
        yield options(() -> GrafanaMetrics.expectations(qualityTable(id)));
      }
      default -> List.of();
    };
  }

  /** The values of variable {@code target} (see {@link #VARIABLES}). */
  public List<GrafanaText> variable(String target) {
    Map<String, Supplier<List<String>>> answers =
        Map.of(
            "symbols", market::symbols,
            "intervals", () -> List.of("1m", "1d"),
            "metrics", () -> metrics.all().stream().map(Metric::name).toList(),
            "dags", pipeline::dagIds,
            "expectations", () -> GrafanaMetrics.expectations(TableCatalog.SILVER_TICKS),
            "quality_tables",
                () -> GrafanaMetrics.qualityTables().stream().map(TableDef::id).toList());
    Supplier<List<String>> answer = answers.get(target == null ? "" : target.trim());
    if (answer == null) {
      throw ServingRequestException.badRequest(
          "unknown variable '" + target + "'; accepted: " + String.join(", ", VARIABLES));
    }
    return answer.get().stream().map(GrafanaText::variable).toList();
  }

  public List<GrafanaText> tagKeys() {
    return TAG_KEYS.stream().map(GrafanaText::tagKey).toList();
  }

  public List<GrafanaText> tagValues(String key) {
    if (!TAG_KEYS.contains(key)) {
      throw ServingRequestException.badRequest(
          "unknown tag key '" + key + "'; accepted: " + String.join(", ", TAG_KEYS));
    }
    return market.symbols().stream().map(GrafanaText::tagValue).toList();
  }

  private static TableDef qualityTable(String id) {
    return GrafanaMetrics.qualityTables().stream()
        .filter(t -> t.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                ServingRequestException.badRequest(
                    "unknown table '"
                        + id
                        + "'; tables with expectations: "
                        + GrafanaMetrics.qualityTables().stream().map(TableDef::id).toList()));
  }

  private static List<GrafanaOption> options(Supplier<List<String>> values) {
    return values.get().stream().map(GrafanaOption::of).toList();
  }
}
