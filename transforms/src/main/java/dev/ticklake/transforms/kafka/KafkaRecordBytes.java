package dev.ticklake.transforms.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** One Kafka record exactly as the broker returned it: position, timestamp, raw key and value. */
public record KafkaRecordBytes(
    String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaRecordBytes r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && topic.equals(r.topic)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }

  /** A compact coder (no Java serialization on the hot path). */
  public static final class Coder extends AtomicCoder<KafkaRecordBytes> {
    private static final long serialVersionUID = 1L;
    private static final NullableCoder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());

    @Override
    public void encode(KafkaRecordBytes r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.topic(), out);
      VarIntCoder.of().encode(r.partition(), out);
      VarLongCoder.of().encode(r.offset(), out);
      VarLongCoder.of().encode(r.timestamp(), out);
      BYTES.encode(r.key(), out);
      BYTES.encode(r.value(), out);
    }

    @Override
    public KafkaRecordBytes decode(InputStream in) throws IOException {
      return new KafkaRecordBytes(
          StringUtf8Coder.of().decode(in),
          VarIntCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          BYTES.decode(in),
          BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
