package dev.ticklake.orchestrator.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.HadoopSettings;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * The read layer over the lake: Gold, Silver's data-quality tables and quarantine, and the ML
 * tables, read through Delta Kernel. The Grafana API, the Infinity endpoints and the web UI all
 * read through one instance.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Exact and current.</b> Every {@link #read} first looks up the table's latest version
 *       ({@link TableVersions}, without reading a log file) and answers from that version: the rows
 *       a Delta reader sees at that version that match the query, sorted by symbol then time. A
 *       commit visible before the call is always reflected; nothing stale is served.
 *   <li><b>Pruned.</b> Partitions are pruned on the symbol and date columns and files skipped on
 *       their statistics of the symbol, time and date columns ({@link FilePruning}, over the
 *       version's file list, replayed from the log once per version); only the asked columns are
 *       read.
 *   <li><b>Cached by version, bounded.</b> Results are cached with every column under (table,
 *       version, symbols, range) and projected per query, the range widened to whole UTC hours
 *       (answers are sliced to the exact range), so a range that moves with "now" hits the cache
 *       until the next commit; a new version makes new keys, and old entries are evicted. Below
 *       them, the decoded rows of each data file are cached ({@link KernelReads}), so a new version
 *       decodes only its new files. Each cache holds at most {@code cacheMaxBytes} (estimated),
 *       least recently used first out.
 *   <li>Table ids are looked up in the catalog ({@link ServedTable}); symbols and columns are only
 *       ever compared with data, never put into a path.
 * </ul>
 *
 * Thread-safe.
 */
public final class LakeReader implements AutoCloseable {

  /** One column of a served table, as the APIs describe it. */
  public record ColumnInfo(String name, Kind kind) {}

  /** How a column's values are shown. */
  public enum Kind {
    NUMBER,
    STRING,
    TIME,
    BOOLEAN
  }

  private record ResultKey(String location, long version, TableQuery query) {}

  private record SchemaKey(String location, long version) {}

  private final String lakeRoot;
  private final TableVersions versions;
  private final KernelReads kernel;
  private final Cache<ResultKey, RowSet> results;
  private final Cache<SchemaKey, Map<String, DataType>> schemas;
  private final RefreshAhead refreshAhead = new RefreshAhead(new AheadSource());

  public LakeReader(String lakeRoot, long cacheMaxBytes) {
    this(lakeRoot, cacheMaxBytes, HadoopSettings.configuration());
  }

  public LakeReader(String lakeRoot, long cacheMaxBytes, Configuration hadoopConf) {
    this.lakeRoot = qualify(lakeRoot);
    this.versions = new TableVersions(hadoopConf);
    this.kernel = new KernelReads(hadoopConf, cacheMaxBytes);
    this.results =
        Caffeine.newBuilder()
            .maximumWeight(cacheMaxBytes)
            .weigher(
                (ResultKey k, RowSet v) -> (int) Math.min(Integer.MAX_VALUE, v.estimatedBytes()))
            .recordStats()
            .build();
    this.schemas = Caffeine.newBuilder().maximumSize(256).build();
  }

  /** The served table with this catalog id; 400 listing the served ids otherwise. */
  public static ServedTable table(String id) {
    return ServedTable.byId(id)
        .orElseThrow(
            () ->
                ServingRequestException.badRequest(
                    "unknown table '" + id + "'; served tables: " + servedIds()));
  }

  private static String servedIds() {
    return String.join(", ", ServedTable.ids());
  }

  /** The table's storage location under the lake root. */
  public String location(String tableId) {
    return table(tableId).def().location(lakeRoot);
  }

  /**
   * The location of any catalog table (served or not, e.g. {@code bronze/ticks} for commit
   * history); 400 for an id the catalog does not know.
   */
  public String catalogLocation(String tableId) {
    try {
      return TableCatalog.byId(tableId).location(lakeRoot);
    } catch (IllegalArgumentException e) {
      throw ServingRequestException.badRequest(e.getMessage());
    }
  }

  /** The latest committed version of the table at {@code location}, -1 when there is none. */
  public long latestVersionAt(String location) {
    return versions.latest(location);
  }

  /** The latest committed version of the table, -1 when it does not exist yet. */
  public long latestVersion(String tableId) {
    return versions.latest(location(tableId));
  }

  /** The columns of the table's latest version (empty when it does not exist yet). */
  public List<ColumnInfo> columns(String tableId) {
    String loc = location(tableId);
    long v = versions.latest(loc);
    if (v < 0) {
      return List.of();
    }
    List<ColumnInfo> out = new ArrayList<>();
    schema(loc, v).forEach((name, type) -> out.add(new ColumnInfo(name, kind(type))));
    return out;
  }

  /** The commit time of a version of the table. */
  public Instant commitTime(String tableId, long version) {
    return Instant.ofEpochMilli(kernel.commitMillis(location(tableId), version));
  }

  /** Data files read from storage since start (cache misses only; after pruning and skipping). */
  public long filesRead() {
    return kernel.filesRead();
  }

  /** The estimated bytes the result cache holds now (pending evictions done first). */
  public long cachedBytes() {
    results.cleanUp();
    return results.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /** Hits, misses and evictions of the result cache since start. */
  public CacheStats cacheStats() {
    return results.stats();
  }

  /**
   * The rows of the latest version that match {@code query}, sorted by symbol then time.
   *
   * @throws ServingRequestException 400 for an unknown table or column
   */
  public RowSet read(TableQuery query) {
    ServedTable table = table(query.table());
    String loc = table.def().location(lakeRoot);
    long version = versions.latest(loc);
    if (version < 0) {
      return RowSet.empty(-1, query.columns());
    }
    Map<String, DataType> schema = schema(loc, version);
    for (String c : query.columns()) {
      if (!schema.containsKey(c)) {
        throw ServingRequestException.badRequest(
            "table " + table.id() + " has no column '" + c + "'; columns: " + schema.keySet());
      }
    }
    // Cached with every column: the panels of a dashboard ask different columns of the same rows
    // (candles, SMA, EMA, bands, MACD, RSI), and after a commit one read serves them all.
    Optional<String> time = table.timeColumn(schema.keySet());
    boolean ranged = query.from().isPresent() || query.to().isPresent();
    TableQuery every = query.withColumns(List.of());
    TableQuery cached = time.isPresent() && ranged ? aligned(every, time.get()) : every;
    refreshAhead.read(loc, cached, version);
    RowSet rows = cachedRead(table, loc, version, cached);
    if (cached.equals(query)) {
      return rows;
    }
    boolean isDate = time.isPresent() && schema.get(time.get()) instanceof DateType;
    return slice(rows, query, time.filter(t -> ranged), isDate);
  }

  /** The result of {@code cached} at {@code version}: from the cache, or computed once. */
  private RowSet cachedRead(ServedTable table, String loc, long version, TableQuery cached) {
    return results.get(new ResultKey(loc, version, cached), k -> load(table, loc, version, cached));
  }

  /**
   * Starts the refresh-ahead ({@link RefreshAhead}): every {@code interval}, the queries read in
   * the last {@code window} whose table has a new version are computed at that version in the
   * background, so that the next requests find them cached. Results are the same with it or without
   * it; {@link #close} stops it.
   */
  public void startRefreshAhead(Duration window, Duration interval) {
    refreshAhead.start(window, interval);
  }

  /** Queries computed ahead of their requests since start. */
  public long refreshedAhead() {
    return refreshAhead.computed();
  }

  /** Stops the refresh-ahead thread, if started. */
  @Override
  public void close() {
    refreshAhead.close();
  }

  /** The refresh-ahead's view of this reader: the same version lookup and cached computation. */
  private final class AheadSource implements RefreshAhead.Source {
    @Override
    public long latestVersion(String location) {
      return versions.latest(location);
    }

    @Override
    public void compute(String location, long version, TableQuery query) {
      cachedRead(table(query.table()), location, version, query);
    }
  }

  /**
   * The query the cache holds for {@code q}: its range widened to whole UTC hours, with its time
   * column. A dashboard's range moves with "now" at every refresh; aligned, the refreshes between
   * two commits share one cached read instead of each scanning the table again.
   */
  static TableQuery aligned(TableQuery q, String timeColumn) {
    List<String> columns = q.columns();
    if (!columns.isEmpty() && !columns.contains(timeColumn)) {
      columns = new ArrayList<>(columns);
      columns.add(timeColumn);
    }
    return new TableQuery(
        q.table(),
        q.symbols(),
        q.from().map(f -> f.truncatedTo(ChronoUnit.HOURS)),
        q.to().map(LakeReader::ceilHour),
        columns);
  }

  private static Instant ceilHour(Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.HOURS);
    return floor.equals(t) ? t : floor.plus(1, ChronoUnit.HOURS);
  }

  /**
   * The rows of {@code wider} (the cached query's, same order) in {@code q}'s range (on {@code
   * timeColumn}, when there is one to check) and columns.
   */
  private static RowSet slice(
      RowSet wider, TableQuery q, Optional<String> timeColumn, boolean isDate) {
    int timeAt = timeColumn.map(wider::indexOf).orElse(-1);
    List<String> wanted = q.columns().isEmpty() ? wider.columns() : q.columns();
    int[] project = wanted.stream().mapToInt(wider::indexOf).toArray();
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : wider.rows()) {
      if (timeAt < 0 || inRange(row[timeAt], isDate, q)) {
        Object[] r = new Object[project.length];
        for (int i = 0; i < project.length; i++) {
          r[i] = row[project[i]];
        }
        out.add(r);
      }
    }
    return new RowSet(wider.version(), wanted, out);
  }

  private Map<String, DataType> schema(String loc, long version) {
    return schemas.get(new SchemaKey(loc, version), k -> kernel.schema(loc, version));
  }

  private RowSet load(ServedTable table, String loc, long version, TableQuery q) {
    Map<String, DataType> schema = schema(loc, version);
    Optional<String> time = table.timeColumn(schema.keySet());
    Optional<String> day = table.dateColumn(schema.keySet());
    Optional<String> symbol = table.symbolColumn(schema.keySet());
    List<String> wanted = q.columns().isEmpty() ? List.copyOf(schema.keySet()) : q.columns();
    Set<String> read = new LinkedHashSet<>(wanted);
    symbol.ifPresent(read::add);
    time.ifPresent(read::add);
    RowSet raw =
        kernel.read(loc, version, pruning(q, schema, time, day, symbol), List.copyOf(read));

    int symbolAt = symbol.map(raw::indexOf).orElse(-1);
    int timeAt = time.map(raw::indexOf).orElse(-1);
    boolean timeIsDate = time.isPresent() && schema.get(time.get()) instanceof DateType;
    List<Object[]> kept = new ArrayList<>();
    for (Object[] row : raw.rows()) {
      if (symbolAt >= 0 && !q.symbols().isEmpty() && !q.symbols().contains(row[symbolAt])) {
        continue;
      }
      if (timeAt >= 0 && !inRange(row[timeAt], timeIsDate, q)) {
        continue;
      }
      kept.add(row);
    }
    Comparator<Object[]> order = (a, b) -> 0;
    if (symbolAt >= 0) {
      order =
          Comparator.comparing(r -> (String) r[symbolAt], Comparator.nullsFirst(String::compareTo));
    }
    if (timeAt >= 0) {
      order =
          order.thenComparing(
              r -> (Comparable) r[timeAt], Comparator.nullsFirst(Comparator.naturalOrder()));
    }
    kept.sort(order);
    int[] project = wanted.stream().mapToInt(raw::indexOf).toArray();
    List<Object[]> out = new ArrayList<>(kept.size());
    for (Object[] row : kept) {
      Object[] r = new Object[project.length];
      for (int i = 0; i < project.length; i++) {
        r[i] = row[project[i]];
      }
      out.add(r);
    }
    return new RowSet(version, wanted, out);
  }

  private static boolean inRange(Object value, boolean isDate, TableQuery q) {
    if (value == null) {
      return q.from().isEmpty() && q.to().isEmpty();
    }
    if (isDate) {
      LocalDate d = (LocalDate) value;
      return q.from().map(f -> !d.isBefore(day(f))).orElse(true)
          && q.to().map(t -> !d.isAfter(day(t))).orElse(true);
    }
    Instant t = (Instant) value;
    return q.from().map(f -> !t.isBefore(f)).orElse(true)
        && q.to().map(to -> !t.isAfter(to)).orElse(true);
  }

  /** Which files the query needs: symbol and day partitions, time and day statistics. */
  private static FilePruning pruning(
      TableQuery q,
      Map<String, DataType> schema,
      Optional<String> time,
      Optional<String> day,
      Optional<String> symbol) {
    Map<String, Boolean> ranged = new LinkedHashMap<>();
    for (Optional<String> column : List.of(time, day)) {
      column.ifPresent(
          c -> {
            DataType type = schema.get(c);
            if (type instanceof DateType
                || type instanceof TimestampType
                || type instanceof TimestampNTZType) {
              ranged.put(c, type instanceof DateType);
            }
          });
    }
    return new FilePruning(symbol, q.symbols(), ranged, q.from(), q.to());
  }

  private static LocalDate day(Instant at) {
    return at.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  static Kind kind(DataType type) {
    if (type instanceof TimestampType
        || type instanceof TimestampNTZType
        || type instanceof DateType) {
      return Kind.TIME;
    }
    String name = type.toString();
    if (name.equals("string") || name.equals("binary")) {
      return Kind.STRING;
    }
    if (name.equals("boolean")) {
      return Kind.BOOLEAN;
    }
    return Kind.NUMBER;
  }

  /** A local path as a {@code file:} URI; anything with a scheme as it is. */
  static String qualify(String root) {
    if (root.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      return root;
    }
    String uri = Paths.get(root).toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
