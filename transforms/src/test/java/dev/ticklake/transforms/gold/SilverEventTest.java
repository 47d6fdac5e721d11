package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.transforms.gold.SilverEvent.Feed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gold's event sort and chunk coding: same order as the comparator, lossless round trips. */
class SilverEventTest {
  private static final int DAY = 20_410; // 2025-11-18
  private static final long DAY_START = DAY * OhlcvBar.DAY_MICROS;

  @Test
  void packedSortGivesTheComparatorsOrderIncludingTiesAndEqualEvents() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      List<SilverEvent> events = new ArrayList<>();
      int n = 1 + random.nextInt(3_000);
      for (int i = 0; i < n; i++) {
        // Few distinct timestamps, sources and ids: many ties on ts, some on every sort field.
        long ts = DAY_START + random.nextInt(50) * 1_000_000L;
        events.add(event(ts, "s" + random.nextInt(2), "e" + random.nextInt(20), i));
      }
      List<SilverEvent> expected = new ArrayList<>(events);
      expected.sort(SilverEvent.EVENT_ORDER);
      SilverEvent.sortInEventOrder(events);
      // Equal events differ in volume (their input position): the order must be stable too.
      assertThat(events).as("round %d, %d events", round, n).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void timestampsTooFarApartToPackFallBackToTheComparator() {
    List<SilverEvent> events =
        new ArrayList<>(
            List.of(
                event(Long.MAX_VALUE - 5, "a", "x", 0),
                event(Long.MIN_VALUE + 5, "a", "y", 1),
                event(0, "b", "z", 2),
                event(0, "a", "z", 3)));
    List<SilverEvent> expected = new ArrayList<>(events);
    expected.sort(SilverEvent.EVENT_ORDER);
    SilverEvent.sortInEventOrder(events);
    assertThat(events).containsExactlyElementsOf(expected);

    List<SilverEvent> none = new ArrayList<>();
    SilverEvent.sortInEventOrder(none);
    assertThat(none).isEmpty();
    List<SilverEvent> one = new ArrayList<>(List.of(event(5, "a", "x", 0)));
    SilverEvent.sortInEventOrder(one);
    assertThat(one).containsExactly(event(5, "a", "x", 0));
  }

  @Test
  void chunkCoderRoundTripsEveryFieldBitForBit() throws IOException {
    List<SilverEvent> chunk =
        List.of(
            new SilverEvent(
                "BRK.B", DAY_START + 1, DAY, Feed.TRADE, 1.5, 1.5, 1.5, 1.5, 7, "", "é-ü-1"),
            new SilverEvent(
                "AAPL",
                -3,
                -1,
                Feed.MINUTE_BAR,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                -0.0,
                Double.NaN,
                Long.MAX_VALUE,
                "csv",
                ""),
            new SilverEvent(
                "AAPL", Long.MAX_VALUE, DAY, Feed.LONGER_BAR, 3, 4, 2, 3.25, 0, "synthetic", "e"));
    byte[] bytes = encode(chunk);
    List<SilverEvent> decoded = EventChunkCoder.of().decode(new ByteArrayInputStream(bytes));
    assertThat(decoded).isEqualTo(chunk);
    assertThat(Double.doubleToRawLongBits(decoded.get(1).low()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(encode(decoded)).as("deterministic").isEqualTo(bytes);
    assertThat(EventChunkCoder.of().decode(new ByteArrayInputStream(encode(List.of())))).isEmpty();
  }

  @Test
  void chunksFollowEachOtherOnOneStream() throws IOException {
    List<SilverEvent> first = Collections.nCopies(3, event(10, "a", "x", 1));
    List<SilverEvent> second = List.of(event(11, "b", "y", 2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventChunkCoder.of().encode(first, out);
    EventChunkCoder.of().encode(second, out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertThat(EventChunkCoder.of().decode(in)).isEqualTo(first);
    assertThat(EventChunkCoder.of().decode(in)).isEqualTo(second);
    assertThat(in.available()).isZero();
  }

  private static byte[] encode(List<SilverEvent> chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventChunkCoder.of().encode(chunk, out);
    return out.toByteArray();
  }

  private static SilverEvent event(long ts, String source, String eventId, long volume) {
    return new SilverEvent("AAPL", ts, DAY, Feed.TRADE, 10, 10, 10, 10, volume, source, eventId);
  }
}
