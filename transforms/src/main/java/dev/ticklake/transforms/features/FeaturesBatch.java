package dev.ticklake.transforms.features;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

/**
 * What one {@code build-features} batch reads and commits, decided from the Delta logs alone before
 * the pipeline is built.
 *
 * <p>{@code gold/features} stores the {@code gold/bars_1d} version it has consumed as {@code
 * SetTransaction("gold/features:gold/bars_1d", version)}. Gold rewrites a symbol's whole {@code
 * bars_1d} partition when any of its days changes, so the symbols touched in {@code (fromExclusive,
 * barsVersion]} are the partitions of the files added in that range (every symbol of the snapshot
 * on the first batch); their features are recomputed over their full history.
 *
 * <p>The daily features ({@code interval=1d}, the default) come from {@code gold/bars_1d}; the
 * optional one-minute features ({@code interval=1m}) from {@code gold/bars_1m}, into their own
 * partitions of {@code gold/features} with their own position ({@code
 * "gold/features:gold/bars_1m"}). Training, scoring and backtests read the daily partitions.
 *
 * @param lakeRoot root of the lake tables
 * @param interval {@link #INTERVAL} (daily) or {@link #MINUTE_INTERVAL}
 * @param fromExclusive bars version already consumed by the features (-1: none)
 * @param barsVersion the bars version this batch brings the features to (-1: no bars table)
 * @param touchedSymbols symbols whose bars changed in the range, ascending
 * @param featuresVersion the features table's version when planned (-1: none): the commit's base
 */
public record FeaturesBatch(
    String lakeRoot,
    String interval,
    long fromExclusive,
    long barsVersion,
    List<String> touchedSymbols,
    long featuresVersion)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The daily interval: the one models are trained on, scored and backtested. */
  public static final String INTERVAL = "1d";

  /** The optional one-minute interval. */
  public static final String MINUTE_INTERVAL = "1m";

  public FeaturesBatch {
    source(interval);
    touchedSymbols = List.copyOf(touchedSymbols);
  }

  /** The bar table the features of {@code interval} are built from. */
  public static TableDef source(String interval) {
    return switch (interval) {
      case INTERVAL -> TableCatalog.GOLD_BARS_1D;
      case MINUTE_INTERVAL -> TableCatalog.GOLD_BARS_1M;
      default ->
          throw new IllegalArgumentException(
              "unknown features interval '" + interval + "' (1d, 1m)");
    };
  }

  /** This batch's bar table. */
  public TableDef source() {
    return source(interval);
  }

  /** True for daily bars (the indicators' daily settings). */
  public boolean daily() {
    return INTERVAL.equals(interval);
  }

  /** The {@code SetTransaction} app id of the daily features' position in the bars. */
  public static String appId() {
    return appId(INTERVAL);
  }

  /** The {@code SetTransaction} app id of the {@code interval} features' position in the bars. */
  public static String appId(String interval) {
    return TableCatalog.GOLD_FEATURES.id() + ":" + source(interval).id();
  }

  /** Plans the next daily batch from the current logs. */
  public static FeaturesBatch plan(String lakeRoot) {
    return plan(lakeRoot, INTERVAL);
  }

  /** Plans the next batch of {@code interval} from the current logs. */
  public static FeaturesBatch plan(String lakeRoot, String interval) {
    DeltaTable bars = DeltaTable.at(source(interval).location(lakeRoot));
    long barsVersion = bars.latestVersion();
    DeltaTable.Position position =
        DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lakeRoot)).position(appId(interval));
    long from = position.txnVersion();
    TreeSet<String> symbols = new TreeSet<>();
    if (barsVersion >= 0 && from < barsVersion) {
      List<AddFile> files =
          from < 0 ? bars.filesAt(barsVersion) : bars.filesAddedBetween(from, barsVersion);
      for (AddFile f : files) {
        symbols.add(f.getPartitionValues().get("symbol"));
      }
    }
    return new FeaturesBatch(
        lakeRoot, interval, from, barsVersion, List.copyOf(symbols), position.version());
  }

  /** False when the bars have not moved since the features' stored position. */
  public boolean hasWork() {
    return barsVersion >= 0 && fromExclusive < barsVersion;
  }
}
