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
 * @param lakeRoot root of the lake tables
 * @param fromExclusive bars version already consumed by the features (-1: none)
 * @param barsVersion the bars version this batch brings the features to (-1: no bars table)
 * @param touchedSymbols symbols whose bars changed in the range, ascending
 * @param featuresVersion the features table's version when planned (-1: none): the commit's base
 */
public record FeaturesBatch(
    String lakeRoot,
    long fromExclusive,
    long barsVersion,
    List<String> touchedSymbols,
    long featuresVersion)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The bar table features are built from; its interval label. */
  public static final TableDef SOURCE = TableCatalog.GOLD_BARS_1D;

  public static final String INTERVAL = "1d";

  public FeaturesBatch {
    touchedSymbols = List.copyOf(touchedSymbols);
  }

  /** The {@code SetTransaction} app id of {@code gold/features}' position in the bars. */
  public static String appId() {
    return TableCatalog.GOLD_FEATURES.id() + ":" + SOURCE.id();
  }

  /** Plans the next batch from the current logs. */
  public static FeaturesBatch plan(String lakeRoot) {
    DeltaTable bars = DeltaTable.at(SOURCE.location(lakeRoot));
    long barsVersion = bars.latestVersion();
    DeltaTable.Position position =
        DeltaTable.at(TableCatalog.GOLD_FEATURES.location(lakeRoot)).position(appId());
    long from = position.txnVersion();
    TreeSet<String> symbols = new TreeSet<>();
    if (barsVersion >= 0 && from < barsVersion) {
      List<AddFile> files =
          from < 0 ? bars.filesAt(barsVersion) : bars.filesAddedBetween(from, barsVersion);
      for (AddFile f : files) {
        symbols.add(f.getPartitionValues().get("symbol"));
      }
    }
    return new FeaturesBatch(lakeRoot, from, barsVersion, List.copyOf(symbols), position.version());
  }

  /** False when the bars have not moved since the features' stored position. */
  public boolean hasWork() {
    return barsVersion >= 0 && fromExclusive < barsVersion;
  }
}
