package dev.ticklake.transforms.delta.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Min and max of each key column over the batch rows, compared with a file's statistics. */
public final class KeyRange {
  private final List<String> columns = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final List<Comparable<Object>> mins = new ArrayList<>();
  private final List<Comparable<Object>> maxs = new ArrayList<>();

  public KeyRange(TableLayout layout) {
    for (String column : layout.keyColumns()) {
      if (layout.partitionColumns().contains(column)) {
        continue;
      }
      Schema.Field f = layout.schema().getField(column);
      Schema t = DeltaSchemas.nonNull(f.schema());
      String logical = t.getLogicalType() == null ? "" : t.getLogicalType().getName();
      String kind =
          switch (t.getType()) {
            case STRING -> "string";
            case INT -> "date".equals(logical) ? "date" : "long";
            case LONG -> "timestamp-micros".equals(logical) ? "timestamp" : "long";
            case DOUBLE, FLOAT -> "double";
            default -> null;
          };
      if (kind != null) {
        columns.add(column);
        positions.add(f.pos());
        kinds.add(kind);
        mins.add(null);
        maxs.add(null);
      }
    }
  }

  @SuppressWarnings("unchecked")
  public void include(GenericRecord row) {
    for (int i = 0; i < columns.size(); i++) {
      Object v = row.get(positions.get(i));
      if (v == null) {
        continue;
      }
      Comparable<Object> c = (Comparable<Object>) normalise(kinds.get(i), v);
      if (mins.get(i) == null || c.compareTo(mins.get(i)) < 0) {
        mins.set(i, c);
      }
      if (maxs.get(i) == null || c.compareTo(maxs.get(i)) > 0) {
        maxs.set(i, c);
      }
    }
  }

  /** False only when the stats prove that no batch key can be in the file. */
  @SuppressWarnings("unchecked")
  public boolean mayOverlap(JsonNode stats) {
    if (stats == null || !stats.has("minValues") || !stats.has("maxValues")) {
      return true;
    }
    for (int i = 0; i < columns.size(); i++) {
      JsonNode lo = stats.get("minValues").get(columns.get(i));
      JsonNode hi = stats.get("maxValues").get(columns.get(i));
      if (lo == null || hi == null || mins.get(i) == null) {
        continue;
      }
      Comparable<Object> fileMin = (Comparable<Object>) fromStats(kinds.get(i), lo, false);
      Comparable<Object> fileMax = (Comparable<Object>) fromStats(kinds.get(i), hi, true);
      if (maxs.get(i).compareTo(fileMin) < 0 || mins.get(i).compareTo(fileMax) > 0) {
        return false;
      }
    }
    return true;
  }

  private static Object normalise(String kind, Object v) {
    return switch (kind) {
      case "string" -> v.toString();
      case "double" -> ((Number) v).doubleValue();
      default -> ((Number) v).longValue();
    };
  }

  private static Object fromStats(String kind, JsonNode n, boolean isMax) {
    return switch (kind) {
      case "string" -> n.asText();
      case "double" -> n.asDouble();
      case "date" -> LocalDate.parse(n.asText()).toEpochDay();
      // Timestamp stats are truncated to milliseconds: widen the max by one millisecond.
      case "timestamp" -> {
        Instant t = Instant.parse(n.asText());
        long micros =
            Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        yield isMax ? micros + 999 : micros;
      }
      default -> n.asLong();
    };
  }
}
