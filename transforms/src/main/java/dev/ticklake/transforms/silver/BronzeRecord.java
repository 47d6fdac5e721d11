package dev.ticklake.transforms.silver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The columns of a {@code bronze/ticks} row that Silver reads: the Kafka record's value, its
 * partition and offset (the row's Bronze position, kept for de-duplication order and quarantine),
 * and the ingest time. Read straight from Parquet by {@link BronzeRecordFileReader}.
 *
 * @param value the raw Kafka value (the JSON event); null for a tombstone
 * @param partition Kafka partition
 * @param offset Kafka offset
 * @param ingestTsMicros when Bronze read the record, microseconds since the epoch (UTC)
 */
public record BronzeRecord(byte[] value, int partition, long offset, long ingestTsMicros) {

  @Override
  public boolean equals(Object o) {
    return o instanceof BronzeRecord r
        && partition == r.partition
        && offset == r.offset
        && ingestTsMicros == r.ingestTsMicros
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, offset, ingestTsMicros, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "BronzeRecord[partition="
        + partition
        + ", offset="
        + offset
        + ", ingestTsMicros="
        + ingestTsMicros
        + ", value="
        + ValidateTicks.show(value)
        + "]";
  }

  /** The value (nullable bytes), then partition, offset and ingest time as varints. */
  public static final Coder<BronzeRecord> CODER =
      new AtomicCoder<>() {
        private static final long serialVersionUID = 1L;
        private static final NullableCoder<byte[]> VALUE = NullableCoder.of(ByteArrayCoder.of());

        @Override
        public void encode(BronzeRecord r, OutputStream out) throws IOException {
          VALUE.encode(r.value, out);
          VarIntCoder.of().encode(r.partition, out);
          VarLongCoder.of().encode(r.offset, out);
          VarLongCoder.of().encode(r.ingestTsMicros, out);
        }

        @Override
        public BronzeRecord decode(InputStream in) throws IOException {
          return new BronzeRecord(
              VALUE.decode(in),
              VarIntCoder.of().decode(in),
              VarLongCoder.of().decode(in),
              VarLongCoder.of().decode(in));
        }

        @Override
        public void verifyDeterministic() {}
      };
}
