package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** ValidateTicks alone on the DirectRunner (no Delta): warn keeps rows, counts are per rule. */
class ValidateTicksTest {
  static final SilverBatch BATCH =
      new SilverBatch(-1, 0, Instant.parse("2026-11-20T14:30:00Z"), "r");

  /** A Bronze row of partition 0 with this offset and JSON value. */
  static BronzeRecord bronze(long offset, String json) {
    return new BronzeRecord(json.getBytes(StandardCharsets.UTF_8), 0, offset, 0L);
  }

  @Test
  void warnKeepsTheRowAndEveryExpectationCountsIndependently() {
    List<Expectation> rules =
        List.of(
            new Expectation("cheap", "close < 100", ExpectationAction.WARN),
            new Expectation("has_volume", "volume > 0", ExpectationAction.DROP),
            new Expectation("not_msft", "NOT symbol = 'MSFT'", ExpectationAction.WARN));
    Pipeline p = Runners.direct();
    PCollectionTuple out =
        p.apply(
                Create.of(
                        bronze(0, "{\"symbol\":\"AAPL\",\"ts\":0,\"price\":150,\"volume\":1}"),
                        bronze(1, "{\"symbol\":\"MSFT\",\"ts\":0,\"price\":150,\"volume\":0}"),
                        bronze(2, "{\"symbol\":\"IBM\",\"ts\":0,\"price\":50,\"volume\":2}"),
                        bronze(3, "[]"))
                    .withCoder(BronzeRecord.CODER))
            .apply(ValidateTicks.with(rules, BATCH));
    Collected<SilverTick> valid = Collected.into();
    Collected<GenericRecord> quarantined = Collected.into();
    Collected<DqCounts> counts = Collected.into();
    out.get(ValidateTicks.VALID).apply("v", valid);
    out.get(ValidateTicks.QUARANTINED).apply("q", quarantined);
    out.get(ValidateTicks.COUNTS).apply("c", counts);
    p.run().waitUntilFinish();

    assertThat(valid.elements())
        .extracting(SilverTick::symbol)
        .containsExactlyInAnyOrder("AAPL", "IBM");
    assertThat(quarantined.elements())
        .extracting(
            r -> r.get("kafka_offset"),
            r -> String.valueOf(r.get("expectation")),
            r -> r.get("reason").toString())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1L, "has_volume", "volume 0 must be > 0"),
            org.assertj.core.groups.Tuple.tuple(3L, "null", "not a JSON object: found an array"));
    DqCounts sum = new DqCounts(3);
    counts.elements().forEach(sum::add);
    DqCounts expected = new DqCounts(3);
    expected.rows = 4;
    expected.parseFailed = 1;
    expected.failed[0] = 2; // AAPL and MSFT at 150
    expected.failed[1] = 1;
    expected.failed[2] = 1;
    assertThat(sum).isEqualTo(expected);
  }
}
