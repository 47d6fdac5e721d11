package dev.ticklake.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarketEventTest {
  private static final Instant T = Instant.parse("2026-11-20T14:30:00Z");

  private static MarketEvent bar(Instant start, String source, String eventId) {
    return MarketEvent.bar(
        "AAPL", start, BarInterval.ONE_MINUTE, 187.0, 187.5, 186.9, 187.2, 12000, source, eventId);
  }

  @Test
  void tradeFactorySetsAllFourPricesToThePrice() {
    MarketEvent trade = MarketEvent.trade("AAPL", T, 187.12, 300, "synthetic", "e1");

    assertThat(trade)
        .isEqualTo(
            new MarketEvent(
                "AAPL",
                T,
                EventKind.TRADE,
                null,
                187.12,
                187.12,
                187.12,
                187.12,
                300,
                "synthetic",
                "e1"));
  }

  @Test
  void deterministicIdFollowsTheDocumentedDefinition() {
    // sha256("AAPL|2026-11-20T14:30:00Z|bar|1min|synthetic")[:16], computed independently.
    assertThat(bar(T, "synthetic", null).deterministicId())
        .isEqualTo("53b57857a651a32a1ae729cc75e341a2");
    // sha256("AAPL|2026-11-20T14:30:00.123Z|trade||")[:16]
    assertThat(MarketEvent.trade("AAPL", T.plusMillis(123), 187.12, 300).deterministicId())
        .isEqualTo("e189ed60b4927993a0b0f78b0f6fb7b6");
  }

  @Test
  void deterministicIdIsStableAndIgnoresPricesVolumeAndProducerId() {
    MarketEvent event = bar(T, "synthetic", null);
    MarketEvent correction =
        MarketEvent.bar("AAPL", T, BarInterval.ONE_MINUTE, 1, 2, 0.5, 1.5, 7, "synthetic", "x-9");

    assertThat(event.deterministicId())
        .isEqualTo(event.deterministicId())
        .isEqualTo(bar(T, "synthetic", null).deterministicId())
        .isEqualTo(correction.deterministicId())
        .hasSize(32)
        .matches("[0-9a-f]{32}");
  }

  @Test
  void deterministicIdDiffersWhenTheIdentityDiffers() {
    String id = bar(T, "synthetic", null).deterministicId();

    assertThat(bar(T.plusNanos(1000), "synthetic", null).deterministicId()).isNotEqualTo(id);
    assertThat(bar(T.plusSeconds(60), "synthetic", null).deterministicId()).isNotEqualTo(id);
    assertThat(bar(T, "yahoo", null).deterministicId()).isNotEqualTo(id);
    assertThat(bar(T, null, null).deterministicId()).isNotEqualTo(id);
    assertThat(
            MarketEvent.bar("AAPL", T, BarInterval.FIVE_MINUTES, 1, 1, 1, 1, 1, "synthetic", null)
                .deterministicId())
        .isNotEqualTo(id);
    assertThat(MarketEvent.trade("AAPL", T, 1, 1, "synthetic", null).deterministicId())
        .isNotEqualTo(id);
    assertThat(MarketEvent.trade("MSFT", T, 1, 1, "synthetic", null).deterministicId())
        .isNotEqualTo(MarketEvent.trade("AAPL", T, 1, 1, "synthetic", null).deterministicId());
  }

  @Test
  void effectiveEventIdPrefersTheProducersId() {
    assertThat(bar(T, "synthetic", "syn-1").effectiveEventId()).isEqualTo("syn-1");
    assertThat(bar(T, "synthetic", null).effectiveEventId())
        .isEqualTo("53b57857a651a32a1ae729cc75e341a2");
  }

  @Test
  void rejectsStructurallyImpossibleEvents() {
    assertThatThrownBy(
            () ->
                new MarketEvent(
                    "A", T, EventKind.TRADE, BarInterval.ONE_DAY, 1, 1, 1, 1, 1, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a trade has no interval, got 1d");
    assertThatThrownBy(
            () -> new MarketEvent("A", T, EventKind.BAR, null, 1, 1, 1, 1, 1, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a bar needs an interval");
    assertThatThrownBy(
            () -> new MarketEvent("A", T, EventKind.TRADE, null, 1, 2, 1, 1, 1, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a trade has one price: open, high, low and close must be equal, got 1.0, 2.0, 1.0,"
                + " 1.0");
    assertThatThrownBy(() -> MarketEvent.trade("A", T, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("open must be a finite number, got NaN");
    assertThatThrownBy(() -> MarketEvent.trade(null, T, 1, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("symbol");
    assertThatThrownBy(() -> MarketEvent.trade("A", null, 1, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ts");
  }

  @Test
  void doesNotApplyBusinessRules() {
    MarketEvent odd =
        MarketEvent.bar("not a symbol", Instant.MAX, BarInterval.ONE_DAY, -1, -5, 3, 0, -7);

    assertThat(odd.volume()).isEqualTo(-7);
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    MarketEvent event = bar(T.plusNanos(123_456_789), "synthetic", "e");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(event);
    }

    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(event);
    }
  }
}
