package dev.ticklake.transforms.delta.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;

/**
 * Per-file statistics in the Delta log's {@code stats} format ({@code numRecords}, {@code
 * minValues}, {@code maxValues}, {@code nullCount}), taken from the Parquet footer the writer
 * already computed, so collecting them costs nothing per row.
 *
 * <p>As Delta writers do: timestamps are written in ISO-8601 truncated to milliseconds (readers
 * widen the max by 1 ms), strings longer than 32 characters and binary or boolean columns get no
 * min/max, NaN and infinite doubles get no min/max. A missing min/max only disables data skipping
 * on that column; it is never wrong.
 */
public final class DeltaStats {
  public static final int MAX_STRING_STAT_LENGTH = 32;
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private DeltaStats() {}

  /** The stats JSON of a written file, from its footer and the Avro schema of its columns. */
  public static String fromFooter(ParquetMetadata footer, Schema dataSchema) {
    long numRecords = 0;
    Map<String, Statistics<?>> merged = new LinkedHashMap<>();
    for (BlockMetaData block : footer.getBlocks()) {
      numRecords += block.getRowCount();
      for (ColumnChunkMetaData column : block.getColumns()) {
        String name = column.getPath().toDotString();
        Statistics<?> s = column.getStatistics();
        Statistics<?> acc = merged.get(name);
        if (acc == null) {
          acc = Statistics.createStats(column.getPrimitiveType());
          merged.put(name, acc);
        }
        if (s == null || s.isEmpty() || !s.isNumNullsSet()) {
          merged.put(name, null);
          continue;
        }
        if (merged.get(name) != null) {
          mergeUnchecked(acc, s);
        }
      }
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("numRecords", numRecords);
      Map<String, Statistics<?>> usable = new LinkedHashMap<>();
      for (Schema.Field f : dataSchema.getFields()) {
        Statistics<?> s = merged.get(f.name());
        if (s != null) {
          usable.put(f.name(), s);
        }
      }
      g.writeObjectFieldStart("minValues");
      for (Map.Entry<String, Statistics<?>> e : usable.entrySet()) {
        writeBound(g, e.getKey(), dataSchema.getField(e.getKey()).schema(), e.getValue(), true);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("maxValues");
      for (Map.Entry<String, Statistics<?>> e : usable.entrySet()) {
        writeBound(g, e.getKey(), dataSchema.getField(e.getKey()).schema(), e.getValue(), false);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("nullCount");
      for (Map.Entry<String, Statistics<?>> e : usable.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue().getNumNulls());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void mergeUnchecked(Statistics acc, Statistics s) {
    acc.mergeStatistics(s);
  }

  private static void writeBound(
      JsonGenerator g, String name, Schema fieldSchema, Statistics<?> s, boolean min)
      throws IOException {
    if (!s.hasNonNullValue()) {
      return;
    }
    Object v = min ? s.genericGetMin() : s.genericGetMax();
    Schema t = DeltaSchemas.nonNull(fieldSchema);
    String logical = t.getLogicalType() == null ? null : t.getLogicalType().getName();
    switch (t.getType()) {
      case STRING -> {
        String str = ((Binary) v).toStringUsingUTF8();
        if (str.length() <= MAX_STRING_STAT_LENGTH) {
          g.writeStringField(name, str);
        }
      }
      case INT -> {
        int i = (Integer) v;
        if ("date".equals(logical)) {
          g.writeStringField(name, LocalDate.ofEpochDay(i).toString());
        } else {
          g.writeNumberField(name, i);
        }
      }
      case LONG -> {
        long l = (Long) v;
        if ("timestamp-micros".equals(logical)) {
          g.writeStringField(name, TS.format(micros(l)));
        } else {
          g.writeNumberField(name, l);
        }
      }
      case DOUBLE -> {
        double d = (Double) v;
        if (Double.isFinite(d)) {
          g.writeNumberField(name, d);
        }
      }
      case FLOAT -> {
        float f = (Float) v;
        if (Float.isFinite(f)) {
          g.writeNumberField(name, f);
        }
      }
      default -> {
        // boolean and binary: no min/max, as Delta writers do
      }
    }
  }

  public static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** The stats object as a JSON string literal: what delta-standalone expects in AddFile. */
  public static String quote(String statsJson) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeString(statsJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Parses the stats of an AddFile read from the log, whatever the writer's encoding: a JSON
   * object, or (our encoding through delta-standalone) a JSON string holding one.
   */
  public static JsonNode parse(String stats) {
    if (stats == null || stats.isEmpty()) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(stats.getBytes(StandardCharsets.UTF_8));
      if (node != null && node.isTextual()) {
        node = MAPPER.readTree(node.asText());
      }
      return node;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code numRecords} from an AddFile's stats; -1 when absent. */
  public static long numRecords(String stats) {
    JsonNode n = parse(stats);
    return n != null && n.has("numRecords") ? n.get("numRecords").asLong() : -1;
  }
}
