package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileReader;
import dev.ticklake.transforms.delta.ProjectedParquetFiles;
import dev.ticklake.transforms.gold.SilverEvent.Feed;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * Reads a {@code silver/ticks} data file straight into {@link SilverEvent}s: only the columns a bar
 * needs ({@code ingest_ts} is never decoded), strings decoded once per dictionary entry instead of
 * once per row, no Avro record in between. The only way Gold reads Silver (new rows, whole days,
 * days re-read after a late event); {@code trade_date} is the file's partition value.
 */
public final class SilverEventFileReader implements DataFileReader<SilverEvent> {
  private static final long serialVersionUID = 1L;

  private static final List<String> COLUMNS =
      List.of(
          "symbol",
          "ts",
          "kind",
          "interval",
          "open",
          "high",
          "low",
          "close",
          "volume",
          "source",
          "event_id");

  @Override
  public void read(
      Configuration conf, Path file, Map<String, String> partitionValues, Consumer<SilverEvent> out)
      throws IOException {
    String date = partitionValues.get("trade_date");
    if (date == null) {
      throw new IllegalArgumentException(
          "silver/ticks file " + file + " has no trade_date partition value: " + partitionValues);
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
  private static final class EventMaterializer extends RecordMaterializer<SilverEvent> {
    private final int tradeDate;
    private final StringColumn symbol = new StringColumn();
    private final LongColumn ts = new LongColumn();
    private final StringColumn kind = new StringColumn();
    private final StringColumn interval = new StringColumn();
    private final DoubleColumn open = new DoubleColumn();
    private final DoubleColumn high = new DoubleColumn();
    private final DoubleColumn low = new DoubleColumn();
    private final DoubleColumn close = new DoubleColumn();
    private final LongColumn volume = new LongColumn();
    private final StringColumn source = new StringColumn();
    private final StringColumn eventId = new StringColumn();
    private final Converter[] columns = {
      symbol, ts, kind, interval, open, high, low, close, volume, source, eventId
    };
    private SilverEvent current;

    private final GroupConverter root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return columns[fieldIndex];
          }

          @Override
          public void start() {
            interval.value = null; // the one optional column: no call when it is null
          }

          @Override
          public void end() {
            current =
                new SilverEvent(
                    symbol.value,
                    ts.value,
                    tradeDate,
                    Feed.of(kind.value, interval.value),
                    open.value,
                    high.value,
                    low.value,
                    close.value,
                    volume.value,
                    source.value,
                    eventId.value);
          }
        };

    EventMaterializer(int tradeDate) {
      this.tradeDate = tradeDate;
    }

    @Override
    public SilverEvent getCurrentRecord() {
      return current;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }

  private static final class StringColumn extends PrimitiveConverter {
    String value;
    private String[] dictionary;

    @Override
    public boolean hasDictionarySupport() {
      return true;
    }

    @Override
    public void setDictionary(Dictionary d) {
      dictionary = new String[d.getMaxId() + 1];
      for (int id = 0; id <= d.getMaxId(); id++) {
        dictionary[id] = d.decodeToBinary(id).toStringUsingUTF8();
      }
    }

    @Override
    public void addValueFromDictionary(int dictionaryId) {
      value = dictionary[dictionaryId];
    }

    @Override
    public void addBinary(Binary v) {
      value = v.toStringUsingUTF8();
    }
  }

  private static final class LongColumn extends PrimitiveConverter {
    long value;

    @Override
    public void addLong(long v) {
      value = v;
    }
  }

  private static final class DoubleColumn extends PrimitiveConverter {
    double value;

    @Override
    public void addDouble(double v) {
      value = v;
    }
  }
}
