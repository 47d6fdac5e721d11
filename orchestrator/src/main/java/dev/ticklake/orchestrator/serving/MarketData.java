package dev.ticklake.orchestrator.serving;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.BarInterval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The market side of the read layer, shared by the Grafana API, the Infinity endpoints and the web
 * UI: validates symbols (against the catalog's symbol rule, then against the symbols in Gold),
 * intervals and time ranges, and reads bars, anomalies, daily metrics and the ML tables through
 * {@link LakeReader}. Every rejection is a {@link ServingRequestException} whose message says what
 * was wrong and what is accepted. Thread-safe.
 */
public final class MarketData {

  /** The symbol rule of {@code silver/ticks}' {@code valid_symbol} expectation. */
  static final Pattern SYMBOL = Pattern.compile("^[A-Z][A-Z0-9.\\-]{0,14}$");

  /** The bar intervals served. */
  public enum Interval {
    ONE_MINUTE("1m", TableCatalog.GOLD_BARS_1M.id(), BarInterval.ONE_MINUTE),
    ONE_DAY("1d", TableCatalog.GOLD_BARS_1D.id(), BarInterval.ONE_DAY);

    private final String label;
    private final String table;
    private final BarInterval bar;

    Interval(String label, String table, BarInterval bar) {
      this.label = label;
      this.table = table;
      this.bar = bar;
    }

    public String label() {
      return label;
    }

    /** The Gold table of these bars. */
    public String table() {
      return table;
    }

    /** The {@code interval} value of {@code gold/anomalies} rows of these bars. */
    public String anomalyLabel() {
      return bar.label();
    }

    public long millis() {
      return bar.duration().toMillis();
    }

    /** {@code 1m} or {@code 1d} (also {@code 1min}); 400 otherwise. Null: 1m. */
    public static Interval parse(String text) {
      if (text == null || text.isBlank()) {
        return ONE_MINUTE;
      }
      for (Interval i : values()) {
        if (i.label.equals(text.trim()) || i.bar.label().equals(text.trim())) {
          return i;
        }
      }
      throw ServingRequestException.badRequest("unknown interval '" + text + "'; accepted: 1m, 1d");
    }
  }

  private final LakeReader lake;
  private final Duration maxRange;

  /**
   * The symbols of gold/bars_1d at one version: every request validates its symbols against them,
   * so they are kept until the next commit instead of being projected from the table each time.
   */
  private record KnownSymbols(long version, List<String> symbols) {}

  private volatile KnownSymbols symbolsAtVersion = new KnownSymbols(-1, List.of());

  public MarketData(LakeReader lake, Duration maxRange) {
    this.lake = lake;
    this.maxRange = maxRange;
  }

  public LakeReader lake() {
    return lake;
  }

  public Duration maxRange() {
    return maxRange;
  }

  /** The symbols with bars in Gold (from {@code gold/bars_1d}, at its latest version), sorted. */
  public List<String> symbols() {
    String table = Interval.ONE_DAY.table();
    KnownSymbols last = symbolsAtVersion;
    if (last.version() >= 0 && last.version() == lake.latestVersion(table)) {
      return last.symbols();
    }
    RowSet rows = lake.read(TableQuery.all(table).withColumns(List.of("symbol")));
    Set<String> out = new TreeSet<>();
    for (Object[] r : rows.rows()) {
      out.add((String) r[0]);
    }
    KnownSymbols now = new KnownSymbols(rows.version(), List.copyOf(out));
    symbolsAtVersion = now;
    return now.symbols();
  }

  /**
   * The given symbols, checked: each must follow the symbol rule and have bars in Gold; 400 naming
   * the first bad one and the known symbols otherwise. Empty in, empty out (meaning: every symbol).
   */
  public Set<String> requireSymbols(Collection<String> asked) {
    Set<String> out = new LinkedHashSet<>();
    List<String> known = null;
    for (String s : asked) {
      String symbol = s == null ? "" : s.trim();
      if (!SYMBOL.matcher(symbol).matches()) {
        throw ServingRequestException.badRequest(
            "malformed symbol '"
                + s
                + "'; a symbol is an upper-case letter then up to 14 of A-Z 0-9 . -");
      }
      if (known == null) {
        known = symbols();
      }
      if (!known.contains(symbol)) {
        throw ServingRequestException.badRequest(
            "unknown symbol '"
                + symbol
                + "'; known symbols: "
                + (known.isEmpty()
                    ? "none yet (gold/bars_1d is empty)"
                    : String.join(", ", known)));
      }
      out.add(symbol);
    }
    return out;
  }

  /** 400 unless {@code from <= to} and the range is at most {@link #maxRange}. */
  public void checkRange(Instant from, Instant to) {
    if (from.isAfter(to)) {
      throw ServingRequestException.badRequest(
          "from (" + from + ") is after to (" + to + "); from must not be later than to");
    }
    Duration span = Duration.between(from, to);
    if (span.compareTo(maxRange) > 0) {
      throw ServingRequestException.badRequest(
          "time range of "
              + human(span)
              + " exceeds the maximum of "
              + human(maxRange)
              + " (serving.maxRange); narrow the range");
    }
  }

  /** Bars of {@code symbols} (validated; all when empty) in {@code [from, to]}, all columns. */
  public RowSet bars(Interval interval, Collection<String> symbols, Instant from, Instant to) {
    return read(interval.table(), symbols, from, to, List.of());
  }

  /** Anomalies of bars of {@code interval}. */
  public RowSet anomalies(Interval interval, Collection<String> symbols, Instant from, Instant to) {
    RowSet all = read(TableCatalog.GOLD_ANOMALIES.id(), symbols, from, to, List.of());
    if (!all.hasColumn("interval")) {
      return all;
    }
    int at = all.indexOf("interval");
    List<Object[]> kept = new ArrayList<>();
    for (Object[] r : all.rows()) {
      if (interval.anomalyLabel().equals(r[at])) {
        kept.add(r);
      }
    }
    return new RowSet(all.version(), all.columns(), kept);
  }

  /** Rows of any served table with a symbol (daily metrics, predictions, backtests...). */
  public RowSet read(
      String tableId, Collection<String> symbols, Instant from, Instant to, List<String> columns) {
    checkRange(from, to);
    Set<String> checked = requireSymbols(symbols);
    return lake.read(new TableQuery(tableId, checked, Optional.of(from), Optional.of(to), columns));
  }

  /** Whether the table exists (has a first commit). */
  public boolean exists(String tableId) {
    return lake.latestVersion(tableId) >= 0;
  }

  private static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds >= 86_400) {
      return seconds % 86_400 == 0
          ? seconds / 86_400 + " days"
          : String.format(java.util.Locale.ROOT, "%.1f days", seconds / 86_400.0);
    }
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
