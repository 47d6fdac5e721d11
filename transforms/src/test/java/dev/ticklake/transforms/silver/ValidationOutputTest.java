package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.event.MarketEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CoderException;
import org.junit.jupiter.api.Test;

class ValidationOutputTest {
  static GenericRecord quarantineRow() {
    GenericRecord r = new GenericData.Record(TableCatalog.SILVER_QUARANTINE.schema());
    r.put("payload", ByteBuffer.wrap("[]".getBytes(StandardCharsets.UTF_8)));
    r.put("source_table", "bronze/ticks");
    r.put("source_version", 3L);
    r.put("kafka_partition", 1);
    r.put("kafka_offset", 42L);
    r.put("stage", "parse");
    r.put("expectation", null);
    r.put("reason", "not a JSON object: found an array");
    r.put("batch_id", "bronze/ticks(2,3]");
    r.put("quarantined_at", 1_763_000_000_000_000L);
    r.put("quarantine_date", 20_412);
    return r;
  }

  @Test
  void eachKindRoundTripsThroughOneStream() throws Exception {
    DqCounts counts = new DqCounts(2);
    counts.rows = 10;
    counts.parseFailed = 1;
    counts.failed[1] = 4;
    List<ValidationOutput> all =
        List.of(
            ValidationOutput.valid(
                SilverTick.of(
                    MarketEvent.trade("AAPL", SilverTickTest.NOW, 187.12, 300), 5L, 0, 9L)),
            ValidationOutput.quarantined(quarantineRow()),
            ValidationOutput.counts(counts));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ValidationOutput v : all) {
      ValidationOutput.CODER.encode(v, out);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (ValidationOutput v : all) {
      ValidationOutput back = ValidationOutput.CODER.decode(in);
      assertThat(back).isEqualTo(v);
    }
    assertThat(in.read()).isEqualTo(-1);
    ValidationOutput q = all.get(1);
    assertThat(q.tick()).isNull();
    assertThat(q.dqCounts()).isNull();
    assertThat(q.quarantinedRow().get("kafka_offset")).isEqualTo(42L);
  }

  @Test
  void badInputFailsWithAClearMessage() {
    assertThatThrownBy(() -> ValidationOutput.CODER.decode(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("stream ended before the tag byte");
    assertThatThrownBy(
            () -> ValidationOutput.CODER.decode(new ByteArrayInputStream(new byte[] {7})))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("unknown tag 7");
    assertThatThrownBy(() -> ValidationOutput.valid(null)).isInstanceOf(NullPointerException.class);
  }
}
