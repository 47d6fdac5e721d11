package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.PrimitiveFields;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writing and reading the Parquet data files of a Delta table: written from Avro records with
 * {@link FlatRecordWriteSupport}, read with parquet-avro.
 */
public final class ParquetDataFiles {
  private ParquetDataFiles() {}

  /**
   * Opens a new uniquely named file in the directory of a partition. The file is invisible to
   * readers until a commit adds it; if the writer dies before, it is an orphan that vacuum removes.
   */
  public static Writer open(
      Configuration conf,
      String tableRoot,
      TableLayout layout,
      Map<String, String> partitionValues,
      long rowGroupBytes)
      throws IOException {
    String dir = PartitionValues.directory(partitionValues);
    String name = "part-" + UUID.randomUUID() + ".c000.snappy.parquet";
    String relative = dir.isEmpty() ? name : dir + "/" + name;
    return new Writer(conf, tableRoot, relative, layout, partitionValues, rowGroupBytes);
  }

  /** A Parquet file being written: rows in, one {@link DataFileAction} (with stats) out. */
  public static final class Writer implements Closeable {
    private final Path file;
    private final String relativePath;
    private final TableLayout layout;
    private final Map<String, String> partitionValues;
    private final ParquetWriter<IndexedRecord> parquet;
    private final ProjectedRecord view;
    private final ProjectedPrimitiveRecord primitiveView;
    private final FileSystem fs;
    private long rows;
    private DataFileAction result;

    private Writer(
        Configuration conf,
        String tableRoot,
        String relativePath,
        TableLayout layout,
        Map<String, String> partitionValues,
        long rowGroupBytes)
        throws IOException {
      this.file = new Path(tableRoot, relativePath);
      this.relativePath = relativePath;
      this.layout = layout;
      this.partitionValues = partitionValues;
      this.fs = file.getFileSystem(conf);
      // Local file systems would write a .crc side file per data file: useless next to Parquet's
      // own checksums, and a second file for vacuum to find.
      fs.setWriteChecksum(false);
      this.view = new ProjectedRecord(layout.dataSchema(), layout.dataPositions());
      this.primitiveView =
          new ProjectedPrimitiveRecord(layout.dataSchema(), layout.dataPositions());
      FlatRecordWriter builder =
          new FlatRecordWriter(HadoopOutputFile.fromPath(file, conf), layout.dataSchema())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withRowGroupSize(rowGroupBytes)
              .withWriteMode(ParquetFileWriter.Mode.CREATE)
              // Size statistics (Parquet 1.14+) serve query planners we do not have; computing them
              // costs a pass over every binary value.
              .withSizeStatisticsEnabled(false)
              .withConf(conf);
      for (String column : opaqueColumns(layout.dataSchema())) {
        // Raw payloads (Bronze's Kafka value: a different JSON document per row) never repeat, so
        // a dictionary only costs hashing before Parquet falls back to plain, and Delta keeps no
        // min/max for binary columns, so per-page min/max comparisons would be wasted too.
        builder.withDictionaryEncoding(column, false).withStatisticsEnabled(column, false);
      }
      for (String column : layout.plainColumns()) {
        // Values that almost never repeat (ids, fine timestamps): hashing each into a dictionary
        // that is dropped once full costs time and saves no space. Statistics stay on.
        builder.withDictionaryEncoding(column, false);
      }
      this.parquet = builder.build();
    }

    /** Top-level columns of Avro type bytes (nullable or not): opaque payloads. */
    private static List<String> opaqueColumns(Schema schema) {
      List<String> columns = new ArrayList<>();
      for (Schema.Field f : schema.getFields()) {
        Schema type = f.schema();
        if (type.getType() == Schema.Type.UNION) {
          type =
              type.getTypes().stream()
                  .filter(t -> t.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElse(type);
        }
        if (type.getType() == Schema.Type.BYTES && type.getLogicalType() == null) {
          columns.add(f.name());
        }
      }
      return columns;
    }

    /** Writes one full row (partition columns included; they are not stored). */
    public void write(IndexedRecord row) throws IOException {
      if (row instanceof PrimitiveFields) {
        primitiveView.base = row;
        parquet.write(primitiveView);
      } else {
        view.base = row;
        parquet.write(view);
      }
      rows++;
    }

    public long rows() {
      return rows;
    }

    /** Bytes written plus buffered: the size the file is heading for. */
    public long dataSize() {
      return parquet.getDataSize();
    }

    /** Closes the file and describes it for the commit. */
    public DataFileAction finish() throws IOException {
      if (result == null) {
        parquet.close();
        long size = fs.getFileStatus(file).getLen();
        String stats = DeltaStats.fromFooter(parquet.getFooter(), layout.dataSchema());
        result = DataFileAction.add(toUriPath(relativePath), partitionValues, size, rows, stats);
      }
      return result;
    }

    @Override
    public void close() throws IOException {
      finish();
    }
  }

  /** Reads every row of a data file, with its partition columns set from the log's values. */
  public static void read(
      Configuration conf,
      String tableRoot,
      String uriPath,
      Map<String, String> partitionValues,
      TableLayout layout,
      Consumer<GenericRecord> out)
      throws IOException {
    read(conf, resolve(tableRoot, uriPath), partitionValues, layout, out);
  }

  /**
   * {@link #read(Configuration, String, String, Map, TableLayout, Consumer)} of a resolved file.
   */
  public static void read(
      Configuration conf,
      Path file,
      Map<String, String> partitionValues,
      TableLayout layout,
      Consumer<GenericRecord> out)
      throws IOException {
    Configuration readConf = new Configuration(conf);
    AvroReadSupport.setAvroReadSchema(readConf, layout.readSchema());
    readConf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
    readConf.set(AvroReadSupport.AVRO_DATA_SUPPLIER, "org.apache.parquet.avro.GenericDataSupplier");
    TableLayout.ParsedPartitionValues partitions = layout.parsePartitionValues(partitionValues);
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, readConf))
            .withDataModel(GenericData.get())
            .withConf(readConf)
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        partitions.setOn(r);
        out.accept(r);
      }
    }
  }

  /** The Hadoop path of a file named in the log (relative, URI-encoded; or absolute). */
  public static Path resolve(String tableRoot, String uriPath) {
    try {
      URI uri = new URI(uriPath);
      return uri.isAbsolute() ? new Path(uri) : new Path(new Path(tableRoot), new Path(uri));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid file path in the Delta log: " + uriPath, e);
    }
  }

  /** Encodes a relative file path the way the Delta log stores it (a relative URI). */
  public static String toUriPath(String relativePath) {
    try {
      return new URI(null, null, relativePath, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A Parquet writer of Avro records, flat ones with {@link FlatRecordWriteSupport}. */
  private static final class FlatRecordWriter
      extends ParquetWriter.Builder<IndexedRecord, FlatRecordWriter> {
    private final Schema schema;

    public FlatRecordWriter(OutputFile file, Schema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected FlatRecordWriter self() {
      return this;
    }

    @Override
    protected WriteSupport<IndexedRecord> getWriteSupport(Configuration conf) {
      // Nested columns (none in the catalog; possible with DeltaIO.write().withSchema) go through
      // parquet-avro.
      return FlatRecordWriteSupport.supports(schema)
          ? new FlatRecordWriteSupport(schema)
          : new AvroWriteSupport<>(
              new AvroSchemaConverter(conf).convert(schema), schema, GenericData.get());
    }
  }

  /** A zero-copy view of a full row as the record of its data columns. */
  private static class ProjectedRecord implements IndexedRecord {
    private final Schema schema;
    final int[] positions;
    IndexedRecord base;

    public ProjectedRecord(Schema schema, int[] positions) {
      this.schema = schema;
      this.positions = positions;
    }

    @Override
    public void put(int i, Object v) {
      throw new UnsupportedOperationException("read-only view");
    }

    @Override
    public Object get(int i) {
      return base.get(positions[i]);
    }

    @Override
    public Schema getSchema() {
      return schema;
    }
  }

  /**
   * {@link ProjectedRecord} of a row that reads its numbers unboxed ({@link PrimitiveFields}), and
   * reads them so too.
   */
  private static final class ProjectedPrimitiveRecord extends ProjectedRecord
      implements PrimitiveFields {
    public ProjectedPrimitiveRecord(Schema schema, int[] positions) {
      super(schema, positions);
    }

    private PrimitiveFields primitiveBase() {
      return (PrimitiveFields) base;
    }

    @Override
    public boolean isNull(int field) {
      return primitiveBase().isNull(positions[field]);
    }

    @Override
    public int getInt(int field) {
      return primitiveBase().getInt(positions[field]);
    }

    @Override
    public long getLong(int field) {
      return primitiveBase().getLong(positions[field]);
    }

    @Override
    public double getDouble(int field) {
      return primitiveBase().getDouble(positions[field]);
    }
  }
}
