package dev.ticklake.benchmarks.pipelines;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * The baseline DeltaIO is measured against: parquet-avro alone, on one thread, no Beam, no Delta
 * log. Writes use the settings of DeltaIO's data files (GenericData model, snappy, 128 MiB row
 * groups, no {@code .crc} side file) and the rows DeltaIO stores (without the partition column);
 * reads use the same reader configuration as DeltaIO's (GenericData model, no compatibility mode).
 */
final class RawParquetBaseline {
  static final long ROW_GROUP_BYTES = 128L << 20;

  private RawParquetBaseline() {}

  /** Generates rows {@code 0..n-1} and writes them to one new file; returns the rows written. */
  static long write(SyntheticTicks ticks, long n, java.nio.file.Path file) throws IOException {
    Configuration conf = new Configuration();
    Path path = new Path(file.toUri());
    // DeltaIO turns the local file system's .crc side files off; the baseline must not pay for
    // them either, or DeltaIO would look better than it is.
    path.getFileSystem(conf).setWriteChecksum(false);
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(path, conf))
            .withSchema(ticks.schema())
            .withDataModel(GenericData.get())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(ROW_GROUP_BYTES)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withConf(conf)
            .build()) {
      for (long i = 0; i < n; i++) {
        writer.write(ticks.row(i));
      }
    }
    return n;
  }

  /** Reads every row of the file; returns how many there were. */
  static long read(java.nio.file.Path file, Schema schema) throws IOException {
    Configuration conf = new Configuration();
    AvroReadSupport.setAvroReadSchema(conf, schema);
    conf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    conf.set(AvroReadSupport.AVRO_DATA_SUPPLIER, "org.apache.parquet.avro.GenericDataSupplier");
    long rows = 0;
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(new Path(file.toUri()), conf))
            .withDataModel(GenericData.get())
            .withConf(conf)
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows++;
      }
    }
    return rows;
  }
}
