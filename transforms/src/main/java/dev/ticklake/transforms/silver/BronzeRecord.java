package dev.ticklake.transforms.silver;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

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

  /** Varint value length + 1 (0 for null), the value, then partition, offset, ingest time. */
  public static final Coder<BronzeRecord> CODER =
      new AtomicCoder<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(BronzeRecord r, OutputStream out) throws IOException {
          if (r.value == null) {
            VarInt.encode(0, out);
          } else {
            VarInt.encode(r.value.length + 1, out);
            out.write(r.value);
          }
          byte[] fixed = new byte[4 + 8 + 8];
          ByteBuffer.wrap(fixed).putInt(r.partition).putLong(r.offset).putLong(r.ingestTsMicros);
          out.write(fixed);
        }

        @Override
        public BronzeRecord decode(InputStream in) throws IOException {
          int lengthPlusOne = VarInt.decodeInt(in);
          if (lengthPlusOne < 0) {
            throw new CoderException("BronzeRecord: negative value length " + lengthPlusOne);
          }
          byte[] value = lengthPlusOne == 0 ? null : readFully(in, lengthPlusOne - 1);
          ByteBuffer fixed = ByteBuffer.wrap(readFully(in, 4 + 8 + 8));
          return new BronzeRecord(value, fixed.getInt(), fixed.getLong(), fixed.getLong());
        }

        private byte[] readFully(InputStream in, int n) throws IOException {
          byte[] bytes = in.readNBytes(n);
          if (bytes.length < n) {
            throw new EOFException(
                "BronzeRecord ends after " + bytes.length + " of " + n + " expected bytes");
          }
          return bytes;
        }

        @Override
        public void verifyDeterministic() {}
      };
}
