package dev.ticklake.transforms.delta;

import org.apache.avro.generic.IndexedRecord;

/**
 * A flat row whose int, long and double fields can be read without boxing. The Parquet writer
 * ({@code FlatRecordWriteSupport}) reads numeric columns of such rows through these methods instead
 * of {@link #get(int)}: a row object that keeps its values as primitives (Silver's ticks) would
 * otherwise allocate a {@code Long} or {@code Double} for each of them on the write's hot path.
 *
 * <p>Field positions are the record schema's. A typed getter is called only for a field of that
 * Avro type whose {@link #isNull} is false.
 */
public interface PrimitiveFields extends IndexedRecord {
  boolean isNull(int field);

  int getInt(int field);

  long getLong(int field);

  double getDouble(int field);
}
