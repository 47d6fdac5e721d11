package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileReader;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.BytesColumn;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.IntColumn;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.LongColumn;
import dev.ticklake.transforms.delta.internal.ProjectedParquetFiles.RowMaterializer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a {@code bronze/ticks} data file straight into {@link BronzeRecord}s: only the four columns
 * Silver uses ({@code key}, {@code topic} and {@code kafka_ts} are never decoded), no Avro record
 * in between. How Silver reads Bronze.
 */
public final class BronzeRecordFileReader implements DataFileReader<BronzeRecord> {
  private static final long serialVersionUID = 1L;

  private static final List<String> COLUMNS = List.of("value", "partition", "offset", "ingest_ts");

  @Override
  public void read(
      Configuration conf,
      Path file,
      Map<String, String> partitionValues,
      Consumer<BronzeRecord> out)
      throws IOException {
    ProjectedParquetFiles.read(
        conf, file, TableCatalog.BRONZE_TICKS.id(), COLUMNS, BronzeMaterializer::new, out);
  }

  /** One row's columns, in {@link #COLUMNS} order, then the record. */
  private static final class BronzeMaterializer extends RowMaterializer<BronzeRecord> {
    private final BytesColumn value = column(new BytesColumn());
    private final IntColumn partition = column(new IntColumn());
    private final LongColumn offset = column(new LongColumn());
    private final LongColumn ingestTs = column(new LongColumn());

    @Override
    protected void startRow() {
      value.clear(); // optional: no call for a tombstone
    }

    @Override
    protected BronzeRecord endRow() {
      return new BronzeRecord(value.value(), partition.value(), offset.value(), ingestTs.value());
    }
  }
}
