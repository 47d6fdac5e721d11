package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DataFileReader;
import dev.ticklake.transforms.delta.ProjectedParquetFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;

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
  private static final class BronzeMaterializer extends RecordMaterializer<BronzeRecord> {
    private byte[] value;
    private int partition;
    private long offset;
    private long ingestTs;
    private BronzeRecord current;

    private final Converter[] columns = {
      new PrimitiveConverter() {
        @Override
        public void addBinary(Binary v) {
          value = v.getBytes();
        }
      },
      new PrimitiveConverter() {
        @Override
        public void addInt(int v) {
          partition = v;
        }
      },
      new PrimitiveConverter() {
        @Override
        public void addLong(long v) {
          offset = v;
        }
      },
      new PrimitiveConverter() {
        @Override
        public void addLong(long v) {
          ingestTs = v;
        }
      }
    };

    private final GroupConverter root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return columns[fieldIndex];
          }

          @Override
          public void start() {
            value = null; // optional: no call for a tombstone
          }

          @Override
          public void end() {
            current = new BronzeRecord(value, partition, offset, ingestTs);
          }
        };

    @Override
    public BronzeRecord getCurrentRecord() {
      return current;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }
}
