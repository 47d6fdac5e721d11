package dev.ticklake.transforms.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.Expectation;
import dev.ticklake.schemas.catalog.ExpectationAction;
import dev.ticklake.testing.Runners;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** ValidateTicks alone (no Delta) on the DirectRunner: warn keeps rows, counts are per rule. */
class ValidateTicksTest {
  static final SilverBatch BATCH =
      new SilverBatch(-1, 0, Instant.parse("2026-11-20T14:30:00Z"), "r");

  /** A Bronze row of partition 0 with this offset and JSON value. */
  static BronzeRecord bronze(long offset, String json) {
    return new BronzeRecord(json.getBytes(StandardCharsets.UTF_8), 0, offset, 0L);
  }

  @Test
  void warnKeepsTheRowAndEveryExpectationCountsIndependently() {
    warnKeepsTheRowAndEveryExpectationCountsIndependently(Runners.direct());
  }

  /**
   * The test on any runner ({@link ValidateTicksFlinkIT} runs it on Flink): PAssert checks the
   * outputs inside the pipeline, so no element has to come back to this JVM.
   */
  static void warnKeepsTheRowAndEveryExpectationCountsIndependently(Pipeline p) {
    List<Expectation> rules =
        List.of(
            new Expectation("cheap", "close < 100", ExpectationAction.WARN),
            new Expectation("has_volume", "volume > 0", ExpectationAction.DROP),
            new Expectation("not_msft", "NOT symbol = 'MSFT'", ExpectationAction.WARN));
    PCollectionTuple out =
        p.apply(
                Create.of(
                        bronze(0, "{\"symbol\":\"AAPL\",\"ts\":0,\"price\":150,\"volume\":1}"),
                        bronze(1, "{\"symbol\":\"MSFT\",\"ts\":0,\"price\":150,\"volume\":0}"),
                        bronze(2, "{\"symbol\":\"IBM\",\"ts\":0,\"price\":50,\"volume\":2}"),
                        bronze(3, "[]"))
                    .withCoder(BronzeRecord.CODER))
            .apply(ValidateTicks.with(rules, BATCH));
    PAssert.that(
            out.get(ValidateTicks.VALID)
                .apply(
                    "Symbols", MapElements.into(TypeDescriptors.strings()).via(SilverTick::symbol)))
        .containsInAnyOrder("AAPL", "IBM");
    PAssert.that(
            out.get(ValidateTicks.QUARANTINED)
                .apply(
                    "OffsetRuleReason",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.get("kafka_offset")
                                    + " "
                                    + r.get("expectation")
                                    + ": "
                                    + r.get("reason"))))
        .containsInAnyOrder(
            "1 has_volume: volume 0 must be > 0", "3 null: not a JSON object: found an array");
    PAssert.that(out.get(ValidateTicks.COUNTS)).satisfies(ValidateTicksTest::countsSumUp);
    p.run().waitUntilFinish();
  }

  private static Void countsSumUp(Iterable<DqCounts> counts) {
    DqCounts sum = new DqCounts(3);
    counts.forEach(sum::add);
    DqCounts expected = new DqCounts(3);
    expected.rows = 4;
    expected.parseFailed = 1;
    expected.failed[0] = 2; // AAPL and MSFT at 150
    expected.failed[1] = 1;
    expected.failed[2] = 1;
    assertThat(sum).isEqualTo(expected);
    return null;
  }
}
