package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileReader;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.DoubleColumn;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.LongColumn;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.RowMaterializer;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.StringColumn;
import dev.ticklake.transforms.gold.SilverEvent.Feed;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a {@code silver/ticks} data file straight into {@link SilverEvent}s: only the columns a bar
 * needs ({@code ingest_ts} is never decoded), strings decoded once per dictionary entry instead of
 * once per row, no Avro record in between. The only way Gold reads Silver (new rows, whole days,
 * days re-read after a late event); {@code trade_date} is the file's partition value.
 */
public final class SilverEventFileReader implements DataFileReader<SilverEvent> {
  private static final long serialVersionUID = 1L;

  /**
   * The columns read: every {@code silver/ticks} column in schema order, but the partition column
   * (the file's partition value) and {@code ingest_ts} (Gold never uses it).
   */
  private static final List<String> COLUMNS =
      TableCatalog.SILVER_TICKS.columnNames().stream()
          .filter(c -> !c.equals("ingest_ts"))
          .filter(c -> !TableCatalog.SILVER_TICKS.partitionColumns().contains(c))
          .toList();

  private static final String TRADE_DATE = BuildGold.onlyPartitionColumn(TableCatalog.SILVER_TICKS);

  @Override
  public void read(
      Configuration conf, Path file, Map<String, String> partitionValues, Consumer<SilverEvent> out)
      throws IOException {
    String date = partitionValues.get(TRADE_DATE);
    if (date == null) {
      throw new IllegalArgumentException(
          "silver/ticks file "
              + file
              + " has no "
              + TRADE_DATE
              + " partition value: "
              + partitionValues);
    }
    int tradeDate = (int) LocalDate.parse(date).toEpochDay();
    ProjectedParquetFiles.read(
        conf,
        file,
        TableCatalog.SILVER_TICKS.id(),
        COLUMNS,
        () -> new EventMaterializer(tradeDate),
        out);
  }

  /** One row's columns, in {@link #COLUMNS} order, then the event. */
  private static final class EventMaterializer extends RowMaterializer<SilverEvent> {
    private final int tradeDate;
    private final StringColumn symbol = column(new StringColumn());
    private final LongColumn ts = column(new LongColumn());
    private final StringColumn kind = column(new StringColumn());
    private final StringColumn interval = column(new StringColumn());
    private final DoubleColumn open = column(new DoubleColumn());
    private final DoubleColumn high = column(new DoubleColumn());
    private final DoubleColumn low = column(new DoubleColumn());
    private final DoubleColumn close = column(new DoubleColumn());
    private final LongColumn volume = column(new LongColumn());
    private final StringColumn source = column(new StringColumn());
    private final StringColumn eventId = column(new StringColumn());

    EventMaterializer(int tradeDate) {
      this.tradeDate = tradeDate;
    }

    @Override
    protected void startRow() {
      interval.clear(); // the one optional column: no call when it is null
    }

    @Override
    protected SilverEvent endRow() {
      return new SilverEvent(
          symbol.value(),
          ts.value(),
          tradeDate,
          Feed.of(kind.value(), interval.value()),
          open.value(),
          high.value(),
          low.value(),
          close.value(),
          volume.value(),
          source.value(),
          eventId.value());
    }
  }
}
