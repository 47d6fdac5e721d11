package dev.ticklake.transforms.delta;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads one Parquet data file of a Delta table into elements of a consumer's own type, for {@link
 * DeltaRead#readingFilesWith}: a step that needs a few columns of a large table in a compact type
 * reads them straight from Parquet instead of through full Avro records.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface DataFileReader<T> extends Serializable {
  /**
   * Emits every row of {@code file}.
   *
   * @param conf Hadoop configuration of the table's file system
   * @param file the data file
   * @param partitionValues the file's partition values as the Delta log stores them (column →
   *     string; dates ISO-8601)
   * @param out receives the rows
   */
  void read(Configuration conf, Path file, Map<String, String> partitionValues, Consumer<T> out)
      throws IOException;
}
