package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.PrimitiveFields;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * {@link SilverTick#toRecord()}: a {@link SilverTick} as a read-only {@code silver/ticks} {@link
 * GenericRecord}, its values boxed when read, not stored. Field positions are those of {@link
 * SilverTick#COLUMNS}, which {@code SilverTick} checks against the table's schema when it
 * initialises. Writes throw {@link UnsupportedOperationException}.
 */
final class SilverTickRecordView implements GenericRecord, PrimitiveFields {
  private static final Schema SCHEMA = TableCatalog.SILVER_TICKS.schema();
  private final SilverTick t;

  SilverTickRecordView(SilverTick t) {
    this.t = t;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA;
  }

  @Override
  public Object get(int i) {
    return switch (i) {
      case 0 -> t.symbol();
      case 2 -> t.kind().label();
      case 3 -> t.interval() == null ? null : t.interval().label();
      case 9 -> t.source();
      case 10 -> t.eventId();
      case 1, 8, 11 -> getLong(i);
      case 4, 5, 6, 7 -> getDouble(i);
      case 12 -> getInt(i);
      default -> throw new IndexOutOfBoundsException("silver/ticks has no field " + i);
    };
  }

  @Override
  public boolean isNull(int i) {
    return switch (i) {
      case 1, 4, 5, 6, 7, 8, 11, 12 -> false; // numbers are never null
      case 3 -> t.interval() == null;
      default -> get(i) == null;
    };
  }

  @Override
  public int getInt(int i) {
    if (i == 12) {
      return t.tradeDate();
    }
    throw new IllegalArgumentException("silver/ticks field " + i + " is not an int");
  }

  @Override
  public long getLong(int i) {
    return switch (i) {
      case 1 -> t.tsMicros();
      case 8 -> t.volume();
      case 11 -> t.ingestTsMicros();
      default -> throw new IllegalArgumentException("silver/ticks field " + i + " is not a long");
    };
  }

  @Override
  public double getDouble(int i) {
    return switch (i) {
      case 4 -> t.open();
      case 5 -> t.high();
      case 6 -> t.low();
      case 7 -> t.close();
      default -> throw new IllegalArgumentException("silver/ticks field " + i + " is not a double");
    };
  }

  @Override
  public Object get(String key) {
    Schema.Field f = SCHEMA.getField(key);
    if (f == null) {
      throw new AvroRuntimeException("Not a valid schema field: " + key);
    }
    return get(f.pos());
  }

  @Override
  public void put(int i, Object v) {
    throw new UnsupportedOperationException("a SilverTick record view is read-only");
  }

  @Override
  public void put(String key, Object v) {
    throw new UnsupportedOperationException("a SilverTick record view is read-only");
  }

  @Override
  public String toString() {
    return GenericData.get().toString(this);
  }
}
