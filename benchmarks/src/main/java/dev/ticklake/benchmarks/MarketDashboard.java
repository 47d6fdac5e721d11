package dev.ticklake.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ticklake.orchestrator.serving.DashboardTargets;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shipped Grafana dashboard ({@code dashboards/market.json}) as the requests one refresh of it
 * sends to TickLake, built the way Grafana builds them:
 *
 * <ul>
 *   <li>per panel, its JSON-datasource targets in one {@code POST /grafana/query} (a mixed panel
 *       splits by datasource), with the range, {@code maxDataPoints} = the panel's width in pixels
 *       on a {@value #VIEWPORT_PIXELS} px wide screen, and {@code intervalMs} = range /
 *       maxDataPoints rounded as Grafana's {@code roundInterval} does;
 *   <li>per Infinity target, one {@code GET} of its URL with its parameters;
 *   <li>per annotation with a target, one {@code POST /grafana/query};
 *   <li>variables: datasource variables by their current uid, {@code $symbol} the given symbol,
 *       custom variables their current value; payloads interpolated by {@link DashboardTargets}.
 * </ul>
 *
 * Hidden targets are skipped. Immutable.
 */
final class MarketDashboard {
  static final int VIEWPORT_PIXELS = 1920;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_DATASOURCE = "simpod-json-datasource";
  private static final String INFINITY = "yesoreyeram-infinity-datasource";
  private static final Pattern NOW_MINUS = Pattern.compile("now-(\\d+)([smhdw])");

  /**
   * One HTTP request of a refresh: {@code panel} its title as written, {@code body} null for a GET.
   */
  record Request(String panel, String method, String pathAndQuery, String body) {}

  private final JsonNode dashboard;

  MarketDashboard(JsonNode dashboard) {
    this.dashboard = dashboard;
  }

  static MarketDashboard load(Path file) throws IOException {
    return new MarketDashboard(JSON.readTree(file.toFile()));
  }

  String uid() {
    return dashboard.path("uid").asText();
  }

  /** The dashboard's default time range ({@code time.from}, e.g. {@code now-6h}) as a duration. */
  Duration defaultRange() {
    String from = dashboard.at("/time/from").asText("now-6h");
    Matcher m = NOW_MINUS.matcher(from);
    if (!m.matches() || !dashboard.at("/time/to").asText("now").equals("now")) {
      throw new IllegalArgumentException(
          "the dashboard's time range must be now-N[smhdw] to now, got " + dashboard.get("time"));
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** Variable name → its values for a refresh showing {@code symbol}. */
  Map<String, List<String>> variables(String symbol) {
    Map<String, List<String>> vars = new LinkedHashMap<>();
    for (JsonNode v : dashboard.at("/templating/list")) {
      String name = v.get("name").asText();
      switch (v.get("type").asText()) {
        case "datasource", "custom" -> vars.put(name, List.of(v.at("/current/value").asText()));
        case "query" -> vars.put(name, List.of(symbol));
        default -> throw new IllegalArgumentException("unexpected variable type: " + v);
      }
    }
    return vars;
  }

  /** Every request of one refresh showing {@code symbol} over {@code [from, to]}. */
  List<Request> refresh(String symbol, Instant from, Instant to) {
    Map<String, List<String>> vars = variables(symbol);
    List<Request> out = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      // the title as written (not interpolated), so that figures group by panel, not by symbol
      String title = panel.path("title").asText();
      int maxDataPoints = maxDataPoints(panel);
      ArrayNode jsonTargets = JSON.createArrayNode();
      for (JsonNode t : panel.path("targets")) {
        if (t.path("hide").asBoolean(false)) {
          continue;
        }
        String type = t.at("/datasource/type").asText();
        if (type.equals(JSON_DATASOURCE)) {
          jsonTargets.add(DashboardTargets.target(t, vars));
        } else if (type.equals(INFINITY)) {
          out.add(new Request(title, "GET", infinityUrl(t, vars, from, to), null));
        } else {
          throw new IllegalArgumentException(title + ": unexpected datasource type " + type);
        }
      }
      if (!jsonTargets.isEmpty()) {
        String body = queryBody(panel.path("id").asInt(), from, to, maxDataPoints, jsonTargets);
        out.add(new Request(title, "POST", "/grafana/query", body));
      }
    }
    for (JsonNode a : dashboard.at("/annotations/list")) {
      if (a.has("target") && a.path("enable").asBoolean(true)) {
        ArrayNode targets =
            JSON.createArrayNode().add(DashboardTargets.target(a.get("target"), vars));
        String body = queryBody(0, from, to, VIEWPORT_PIXELS, targets);
        out.add(
            new Request("annotation " + a.get("name").asText(), "POST", "/grafana/query", body));
      }
    }
    return out;
  }

  /** A panel's {@code maxDataPoints}: its own, or its width in pixels (as Grafana sends it). */
  static int maxDataPoints(JsonNode panel) {
    if (panel.has("maxDataPoints")) {
      return panel.get("maxDataPoints").asInt();
    }
    return (int) Math.round(panel.at("/gridPos/w").asInt(24) / 24.0 * VIEWPORT_PIXELS);
  }

  private String queryBody(
      int panelId, Instant from, Instant to, int maxDataPoints, ArrayNode targets) {
    long intervalMs = roundInterval(Duration.between(from, to).toMillis() / maxDataPoints);
    ObjectNode body = JSON.createObjectNode();
    body.put("app", "dashboard");
    body.put("dashboardUID", uid());
    body.put("panelId", panelId);
    body.put("timezone", "browser");
    ObjectNode range = body.putObject("range");
    range.put("from", from.toString());
    range.put("to", to.toString());
    range.putObject("raw").put("from", dashboard.at("/time/from").asText()).put("to", "now");
    body.put("interval", intervalText(intervalMs));
    body.put("intervalMs", intervalMs);
    body.put("maxDataPoints", maxDataPoints);
    body.set("targets", targets);
    body.putArray("adhocFilters");
    return body.toString();
  }

  private static String infinityUrl(
      JsonNode t, Map<String, List<String>> vars, Instant from, Instant to) {
    StringBuilder url = new StringBuilder(t.get("url").asText());
    String sep = url.indexOf("?") < 0 ? "?" : "&";
    for (JsonNode p : t.at("/url_options/params")) {
      String value =
          p.get("value")
              .asText()
              .replace("${__from}", Long.toString(from.toEpochMilli()))
              .replace("${__to}", Long.toString(to.toEpochMilli()));
      url.append(sep)
          .append(URLEncoder.encode(p.get("key").asText(), StandardCharsets.UTF_8))
          .append('=')
          .append(
              URLEncoder.encode(
                  DashboardTargets.replace(value, vars, false), StandardCharsets.UTF_8));
      sep = "&";
    }
    return url.toString();
  }

  // Grafana's roundInterval (kbn): the raw interval (ms) below each bound becomes the value beside.
  private static final long[][] ROUNDING = {
    {10, 1},
    {15, 10},
    {35, 20},
    {75, 50},
    {150, 100},
    {350, 200},
    {750, 500},
    {1_500, 1_000},
    {3_500, 2_000},
    {7_500, 5_000},
    {12_500, 10_000},
    {17_500, 15_000},
    {25_000, 20_000},
    {45_000, 30_000},
    {90_000, 60_000},
    {210_000, 120_000},
    {450_000, 300_000},
    {750_000, 600_000},
    {1_050_000, 900_000},
    {1_500_000, 1_200_000},
    {2_700_000, 1_800_000},
    {5_400_000, 3_600_000},
    {9_000_000, 7_200_000},
    {16_200_000, 10_800_000},
    {32_400_000, 21_600_000},
    {86_400_000, 43_200_000},
    {604_800_000, 86_400_000},
    {1_814_400_000, 604_800_000},
    {3_628_800_000L, 2_592_000_000L}
  };

  /** Grafana's {@code roundInterval}: a raw interval in ms to the nice interval it uses. */
  static long roundInterval(long rawMillis) {
    for (long[] bound : ROUNDING) {
      if (rawMillis < bound[0]) {
        return bound[1];
      }
    }
    return 31_536_000_000L;
  }

  /** {@code 10000} → {@code "10s"}, {@code 60000} → {@code "1m"}, as Grafana names intervals. */
  static String intervalText(long millis) {
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i] && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
