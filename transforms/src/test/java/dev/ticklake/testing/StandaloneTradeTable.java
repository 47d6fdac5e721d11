package dev.ticklake.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.BinaryType;
import io.delta.standalone.types.BooleanType;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.FloatType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes a small partitioned Delta table of trades the way our production writer will: Parquet
 * files with parquet-avro, the log with delta-standalone. Exists only so {@link KernelTableReader}
 * can be tested before {@code DeltaIO} exists. Not thread-safe; one instance per table.
 */
final class StandaloneTradeTable {

  /** One row. {@code day} is the partition column: in the Delta schema, NOT in the Parquet file. */
  record Trade(
      String symbol,
      long tradeId,
      int volume,
      double price,
      float spread,
      boolean oddLot,
      byte[] raw,
      Instant ts,
      LocalDate settleDate,
      Double fee,
      LocalDate day) {

    /** The row as {@link KernelTableReader} must return it (column order = Delta schema). */
    Map<String, Object> expectedRow() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("symbol", symbol);
      row.put("trade_id", tradeId);
      row.put("volume", volume);
      row.put("price", price);
      row.put("spread", spread);
      row.put("odd_lot", oddLot);
      row.put("raw", ByteBuffer.wrap(raw));
      row.put("ts", ts);
      row.put("settle_date", settleDate);
      row.put("fee", fee);
      row.put("day", day);
      return row;
    }
  }

  /** Timestamp-micros is written as INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true). */
  static final Schema PARQUET_SCHEMA =
      SchemaBuilder.record("Trade")
          .namespace("dev.ticklake.testing")
          .fields()
          .requiredString("symbol")
          .requiredLong("trade_id")
          .requiredInt("volume")
          .requiredDouble("price")
          .requiredFloat("spread")
          .requiredBoolean("odd_lot")
          .requiredBytes("raw")
          .name("ts")
          .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .name("settle_date")
          .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
          .noDefault()
          .optionalDouble("fee")
          .endRecord();

  /** delta-standalone has no TIMESTAMP_NTZ: its TimestampType is Delta "timestamp" (UTC). */
  static final StructType DELTA_SCHEMA =
      new StructType(
          new StructField[] {
            new StructField("symbol", new StringType(), false),
            new StructField("trade_id", new LongType(), false),
            new StructField("volume", new IntegerType(), false),
            new StructField("price", new DoubleType(), false),
            new StructField("spread", new FloatType(), false),
            new StructField("odd_lot", new BooleanType(), false),
            new StructField("raw", new BinaryType(), false),
            new StructField("ts", new TimestampType(), false),
            new StructField("settle_date", new DateType(), false),
            new StructField("fee", new DoubleType(), true),
            new StructField("day", new DateType(), false)
          });

  static final String PARTITION_COLUMN = "day";

  /** Stats carry timestamps as ISO-8601 strings with millisecond precision, like Spark. */
  private static final DateTimeFormatter STATS_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tableDir;
  private final DeltaLog log;

  StandaloneTradeTable(Path tableDir) {
    this.tableDir = tableDir;
    this.log = DeltaLog.forTable(new Configuration(), tableDir.toString());
  }

  /**
   * Commits one Parquet file per distinct {@code day} in {@code trades}, all in one commit. The
   * first commit also sets the table metadata (schema, partition columns).
   *
   * @return the committed version
   */
  long commit(List<Trade> trades) {
    Map<LocalDate, List<Trade>> byDay =
        trades.stream()
            .collect(Collectors.groupingBy(Trade::day, TreeMap::new, Collectors.toList()));
    List<Action> actions = new ArrayList<>();
    for (Map.Entry<LocalDate, List<Trade>> partition : byDay.entrySet()) {
      actions.add(writeDataFile(partition.getKey(), partition.getValue()));
    }
    OptimisticTransaction txn = log.startTransaction();
    if (txn.readVersion() < 0) {
      txn.updateMetadata(
          Metadata.builder()
              .schema(DELTA_SCHEMA)
              .partitionColumns(List.of(PARTITION_COLUMN))
              .build());
    }
    return txn.commit(
            actions,
            new io.delta.standalone.Operation(io.delta.standalone.Operation.Name.WRITE),
            "ticklake-test")
        .getVersion();
  }

  private AddFile writeDataFile(LocalDate day, List<Trade> trades) {
    String relativePath =
        PARTITION_COLUMN + "=" + day + "/part-00000-" + UUID.randomUUID() + ".snappy.parquet";
    Path file = tableDir.resolve(relativePath);
    try {
      Files.createDirectories(file.getParent());
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withSchema(PARQUET_SCHEMA)
              .withDataModel(GenericData.get())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        for (Trade trade : trades) {
          writer.write(toAvro(trade));
        }
      }
      return new AddFile(
          relativePath,
          Map.of(PARTITION_COLUMN, day.toString()),
          Files.size(file),
          Files.getLastModifiedTime(file).toMillis(),
          true,
          // delta-standalone writes this string into the log verbatim (no escaping), so it must
          // already be a JSON string literal: the stats JSON, encoded once more.
          JSON.writeValueAsString(statsJson(trades)),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static GenericRecord toAvro(Trade trade) {
    GenericRecord record = new GenericData.Record(PARQUET_SCHEMA);
    record.put("symbol", trade.symbol());
    record.put("trade_id", trade.tradeId());
    record.put("volume", trade.volume());
    record.put("price", trade.price());
    record.put("spread", trade.spread());
    record.put("odd_lot", trade.oddLot());
    record.put("raw", ByteBuffer.wrap(trade.raw()));
    record.put("ts", ChronoUnit.MICROS.between(Instant.EPOCH, trade.ts()));
    record.put("settle_date", (int) trade.settleDate().toEpochDay());
    record.put("fee", trade.fee());
    return record;
  }

  /**
   * Delta file statistics: numRecords, min/max of the orderable data columns (binary and boolean
   * have none, as in Spark), nullCount of every data column. Partition columns are never in stats.
   */
  static String statsJson(List<Trade> trades) throws JsonProcessingException {
    Map<String, Function<Trade, Comparable<?>>> orderable = new LinkedHashMap<>();
    orderable.put("symbol", Trade::symbol);
    orderable.put("trade_id", Trade::tradeId);
    orderable.put("volume", Trade::volume);
    orderable.put("price", Trade::price);
    orderable.put("spread", Trade::spread);
    orderable.put("ts", Trade::ts);
    orderable.put("settle_date", Trade::settleDate);
    orderable.put("fee", Trade::fee);
    Map<String, Object> min = new LinkedHashMap<>();
    Map<String, Object> max = new LinkedHashMap<>();
    Map<String, Long> nullCount = new LinkedHashMap<>();
    for (Map.Entry<String, Function<Trade, Comparable<?>>> column : orderable.entrySet()) {
      List<Comparable<?>> values =
          trades.stream().map(column.getValue()).filter(Objects::nonNull).toList();
      if (!values.isEmpty()) {
        min.put(column.getKey(), statsValue(values.stream().min(naturalOrder()).orElseThrow()));
        max.put(column.getKey(), statsValue(values.stream().max(naturalOrder()).orElseThrow()));
      }
    }
    for (StructField field : DELTA_SCHEMA.getFields()) {
      if (!field.getName().equals(PARTITION_COLUMN)) {
        nullCount.put(field.getName(), "fee".equals(field.getName()) ? countNullFees(trades) : 0L);
      }
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("numRecords", trades.size());
    stats.put("minValues", min);
    stats.put("maxValues", max);
    stats.put("nullCount", nullCount);
    return JSON.writeValueAsString(stats);
  }

  private static long countNullFees(List<Trade> trades) {
    return trades.stream().filter(t -> t.fee() == null).count();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<Comparable<?>> naturalOrder() {
    return (a, b) -> ((Comparable) a).compareTo(b);
  }

  private static Object statsValue(Comparable<?> value) {
    if (value instanceof Instant) {
      return STATS_TIMESTAMP.format((Instant) value);
    }
    if (value instanceof LocalDate) {
      return value.toString();
    }
    return value;
  }
}
