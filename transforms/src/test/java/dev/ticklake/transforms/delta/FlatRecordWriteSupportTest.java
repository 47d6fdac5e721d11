package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import dev.ticklake.transforms.delta.internal.DeltaStats;
import dev.ticklake.transforms.delta.internal.FlatRecordWriteSupport;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flat writer writes the same file as parquet-avro: schema, footer metadata, rows and column
 * statistics (hence Delta stats); nulls in required columns and nested columns are handled.
 */
class FlatRecordWriteSupportTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("Row")
          .namespace("test")
          .fields()
          .requiredString("s")
          .optionalString("ns")
          .requiredBytes("b")
          .optionalBytes("nb")
          .requiredInt("i")
          .optionalInt("ni")
          .requiredLong("l")
          .optionalLong("nl")
          .requiredFloat("f")
          .requiredDouble("d")
          .optionalDouble("nd")
          .requiredBoolean("z")
          .name("ts")
          .type(
              org.apache.avro.LogicalTypes.timestampMicros()
                  .addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .endRecord();

  @TempDir Path dir;

  @Test
  void writesTheSameFileAsParquetAvro() throws IOException {
    List<GenericRecord> rows = sampleRows();
    TableLayout layout = new TableLayout(SCHEMA, List.of(), List.of());
    ParquetDataFiles.Writer flat =
        ParquetDataFiles.open(new Configuration(), dir.toString(), layout, Map.of(), 1 << 20);
    for (GenericRecord r : rows) {
      flat.write(r);
    }
    DataFileAction flatFile = flat.finish();
    Path flatPath = dir.resolve(flatFile.path());

    Path avroPath = dir.resolve("avro.parquet");
    try (ParquetWriter<GenericRecord> avro =
        AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(avroPath.toString()), new Configuration()))
            .withSchema(SCHEMA)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withSizeStatisticsEnabled(false)
            .withDictionaryEncoding("b", false)
            .withStatisticsEnabled("b", false)
            .withDictionaryEncoding("nb", false)
            .withStatisticsEnabled("nb", false)
            .build()) {
      for (GenericRecord r : rows) {
        avro.write(r);
      }
    }

    ParquetMetadata flatFooter = footer(flatPath);
    ParquetMetadata avroFooter = footer(avroPath);
    assertThat(flatFooter.getFileMetaData().getSchema())
        .isEqualTo(avroFooter.getFileMetaData().getSchema());
    assertThat(flatFooter.getFileMetaData().getKeyValueMetaData())
        .containsEntry("parquet.avro.schema", SCHEMA.toString())
        .containsEntry("writer.model.name", "avro");
    assertThat(DeltaStats.fromFooter(flatFooter, SCHEMA))
        .isEqualTo(DeltaStats.fromFooter(avroFooter, SCHEMA));
    for (int c = 0; c < SCHEMA.getFields().size(); c++) {
      assertThat(flatFooter.getBlocks().get(0).getColumns().get(c).getStatistics())
          .as("statistics of %s", SCHEMA.getFields().get(c).name())
          .isEqualTo(avroFooter.getBlocks().get(0).getColumns().get(c).getStatistics());
    }
    assertThat(read(flatPath)).isEqualTo(read(avroPath)).hasSize(rows.size());
    assertThat(read(flatPath).get(1).get("d")).isEqualTo(-0.0);
  }

  /**
   * A row read through {@link PrimitiveFields}: its numeric columns must never be read boxed, so
   * {@code get} of an int, long or double column fails.
   */
  private record Unboxed(GenericRecord row) implements PrimitiveFields {
    private boolean numeric(int i) {
      return switch (DeltaSchemas.nonNull(SCHEMA.getFields().get(i).schema()).getType()) {
        case INT, LONG, DOUBLE -> true;
        default -> false;
      };
    }

    @Override
    public Object get(int i) {
      if (numeric(i)) {
        throw new AssertionError("column " + i + " read boxed");
      }
      return row.get(i);
    }

    @Override
    public void put(int i, Object v) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Schema getSchema() {
      return SCHEMA;
    }

    @Override
    public boolean isNull(int i) {
      return row.get(i) == null;
    }

    @Override
    public int getInt(int i) {
      return (Integer) row.get(i);
    }

    @Override
    public long getLong(int i) {
      return (Long) row.get(i);
    }

    @Override
    public double getDouble(int i) {
      return (Double) row.get(i);
    }
  }

  @Test
  void rowsWithPrimitiveFieldsWriteTheSameFileUnboxed() throws IOException {
    // Partitioned by "s", so the writer's view maps data columns to other row positions.
    TableLayout layout = new TableLayout(SCHEMA, List.of("s"), List.of());
    ParquetDataFiles.Writer boxed = openPartition(layout, "boxed");
    ParquetDataFiles.Writer unboxed = openPartition(layout, "unboxed");
    for (GenericRecord r : sampleRows()) {
      boxed.write(r);
      unboxed.write(new Unboxed(r));
    }
    Path boxedPath = dir.resolve("boxed").resolve(boxed.finish().path());
    Path unboxedPath = dir.resolve("unboxed").resolve(unboxed.finish().path());
    Schema data = layout.dataSchema();
    assertThat(DeltaStats.fromFooter(footer(unboxedPath), data))
        .isEqualTo(DeltaStats.fromFooter(footer(boxedPath), data));
    assertThat(read(unboxedPath)).isEqualTo(read(boxedPath)).hasSize(500);
  }

  private ParquetDataFiles.Writer openPartition(TableLayout layout, String table)
      throws IOException {
    return ParquetDataFiles.open(
        new Configuration(), dir.resolve(table).toString(), layout, Map.of("s", "x"), 1 << 20);
  }

  @Test
  void aNullInARequiredNumericColumnIsRefusedUnboxedToo() throws IOException {
    TableLayout layout = new TableLayout(SCHEMA, List.of(), List.of());
    ParquetDataFiles.Writer w =
        ParquetDataFiles.open(new Configuration(), dir.toString(), layout, Map.of(), 1 << 20);
    GenericRecord r = sampleRows().get(3);
    r.put("l", null);
    assertThatThrownBy(() -> w.write(new Unboxed(r)))
        .hasMessageContaining("required column l")
        .hasMessageContaining("test.Row");
  }

  @Test
  void aNullInARequiredColumnIsRefusedByName() throws IOException {
    TableLayout layout = new TableLayout(SCHEMA, List.of(), List.of());
    ParquetDataFiles.Writer w =
        ParquetDataFiles.open(new Configuration(), dir.toString(), layout, Map.of(), 1 << 20);
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("s", "x");
    assertThatThrownBy(() -> w.write(r))
        .hasMessageContaining("required column b")
        .hasMessageContaining("test.Row");
  }

  @Test
  void nestedColumnsFallBackToParquetAvro() throws IOException {
    Schema inner = SchemaBuilder.record("Inner").fields().requiredInt("x").endRecord();
    Schema nested =
        SchemaBuilder.record("Nested").fields().name("in").type(inner).noDefault().endRecord();
    assertThat(FlatRecordWriteSupport.supports(nested)).isFalse();
    assertThat(FlatRecordWriteSupport.supports(SCHEMA)).isTrue();
    TableLayout layout = new TableLayout(nested, List.of(), List.of());
    ParquetDataFiles.Writer w =
        ParquetDataFiles.open(new Configuration(), dir.toString(), layout, Map.of(), 1 << 20);
    GenericRecord in = new GenericData.Record(inner);
    in.put("x", 7);
    GenericRecord r = new GenericData.Record(nested);
    r.put("in", in);
    w.write(r);
    DataFileAction file = w.finish();
    assertThat(read(dir.resolve(file.path()))).hasSize(1);
    assertThat(((GenericRecord) read(dir.resolve(file.path())).get(0).get("in")).get("x"))
        .isEqualTo(7);
  }

  /** 500 rows with every column type, nulls in the optional ones, -0.0 and NaN. */
  private static List<GenericRecord> sampleRows() {
    List<GenericRecord> rows = new ArrayList<>();
    for (int n = 0; n < 500; n++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("s", n % 2 == 0 ? "sym-" + (n % 7) + "-é" : new Utf8("utf8-" + n));
      r.put("ns", n % 3 == 0 ? null : "n" + n);
      r.put("b", ByteBuffer.wrap(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)));
      r.put("nb", n % 4 == 0 ? null : ByteBuffer.wrap(new byte[] {(byte) n, 0, -1}));
      r.put("i", n - 250);
      r.put("ni", n % 5 == 0 ? null : n * 3);
      r.put("l", Long.MAX_VALUE - n);
      r.put("nl", n % 6 == 0 ? null : -(long) n);
      r.put("f", n / 7f);
      r.put("d", n == 1 ? -0.0 : n == 2 ? Double.NaN : n * 1.25);
      r.put("nd", n % 2 == 0 ? null : n / 3.0);
      r.put("z", n % 2 == 1);
      r.put("ts", 1_763_000_000_000_000L + n);
      rows.add(r);
    }
    return rows;
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
      return r.getFooter();
    }
  }

  private static List<GenericRecord> read(Path file) throws IOException {
    assertThat(Files.exists(file)).isTrue();
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> r =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))
            .withDataModel(GenericData.get())
            .build()) {
      for (GenericRecord row = r.read(); row != null; row = r.read()) {
        rows.add(row);
      }
    }
    return rows;
  }
}
