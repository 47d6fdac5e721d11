package dev.ticklake.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Avro rows as plain maps, normalised the same way as {@link KernelTableReader}'s rows. */
public final class AvroRows {
  private AvroRows() {}

  public static Map<String, Object> toMap(GenericRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Schema.Field f : r.getSchema().getFields()) {
      m.put(f.name(), normalise(f.schema(), r.get(f.pos())));
    }
    return m;
  }

  public static List<Map<String, Object>> toMaps(Collection<? extends GenericRecord> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(toMap(r)));
    return out;
  }

  static Object normalise(Schema s, Object v) {
    if (v == null) {
      return null;
    }
    if (s.getType() == Schema.Type.UNION) {
      s =
          s.getTypes().stream()
              .filter(t -> t.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
    return switch (s.getType()) {
      case STRING -> v.toString();
      case INT -> "date".equals(logical) ? LocalDate.ofEpochDay(((Number) v).longValue()) : v;
      case LONG -> {
        if ("timestamp-micros".equals(logical)) {
          long micros = ((Number) v).longValue();
          yield Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
        yield v;
      }
      case BYTES -> ((ByteBuffer) v).duplicate();
      default -> v;
    };
  }
}
