package dev.ticklake.transforms.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshot/restore of {@link IndicatorEngine}: exact continuation, immutability, bounded size. */
class IndicatorSnapshotTest {
  private static final List<Bar> BARS = RandomBars.walk(7L, 1_000);

  @Test
  void continuingFromARestoredSnapshotIsBitIdenticalAtEverySplitPoint() {
    for (boolean annualise : new boolean[] {false, true}) {
      IndicatorEngine uninterrupted = new IndicatorEngine(annualise);
      List<IndicatorValues> expected = new ArrayList<>();
      List<IndicatorState> snapshots = new ArrayList<>();
      snapshots.add(uninterrupted.snapshot());
      for (Bar bar : BARS) {
        expected.add(uninterrupted.accept(bar));
        snapshots.add(uninterrupted.snapshot());
      }
      for (int split = 0; split <= BARS.size(); split++) {
        // Through Java serialization, as a state store would hold it.
        IndicatorState restored = roundTrip(snapshots.get(split));
        assertThat(restored).isEqualTo(snapshots.get(split));
        IndicatorEngine resumed = new IndicatorEngine(restored, annualise);
        for (int i = split; i < BARS.size(); i++) {
          // IndicatorValues.equals compares Doubles by their bits: exact, not approximate.
          IndicatorValues got = resumed.accept(BARS.get(i));
          if (!got.equals(expected.get(i))) {
            fail("bar %d after a split at %d: %s != %s", i + 1, split, got, expected.get(i));
          }
        }
        assertThat(resumed.snapshot()).isEqualTo(snapshots.get(BARS.size()));
      }
    }
  }

  @Test
  void aSnapshotIsNotChangedByLaterBarsNorByItsCallers() {
    IndicatorEngine engine = new IndicatorEngine(false);
    BARS.subList(0, 30).forEach(engine::accept);
    IndicatorState snapshot = engine.snapshot();
    IndicatorState copy = roundTrip(snapshot);

    snapshot.closes()[0] = -1;
    engine.accept(BARS.get(30));

    assertThat(snapshot).isEqualTo(copy).hasSameHashCodeAs(copy);
    assertThat(snapshot.barCount()).isEqualTo(30);
  }

  @Test
  void stateIsBoundedWhateverTheHistoryLength() {
    List<Bar> longSeries = RandomBars.walk(11L, 20_000);
    IndicatorEngine engine = new IndicatorEngine(false);
    int sizeAfter1000 = 0;
    for (int i = 0; i < longSeries.size(); i++) {
      engine.accept(longSeries.get(i));
      IndicatorState state = engine.snapshot();
      assertThat(state.closes().length).isLessThanOrEqualTo(50);
      assertThat(state.logReturns().length).isLessThanOrEqualTo(20);
      assertThat(state.trueRangeSeed().length).isLessThanOrEqualTo(13);
      assertThat(state.macdSeed().length).isLessThanOrEqualTo(8);
      if (i == 999) {
        sizeAfter1000 = serialize(state).length;
      }
    }
    IndicatorState state = engine.snapshot();
    assertThat(state.closes()).hasSize(50);
    assertThat(state.logReturns()).hasSize(20);
    assertThat(state.trueRangeSeed()).isEmpty();
    assertThat(state.macdSeed()).isEmpty();
    assertThat(serialize(state).length).isEqualTo(sizeAfter1000).isLessThan(2_000);
  }

  @Test
  void seedBuffersAreCarriedAcrossASplitDuringWarmUp() {
    IndicatorEngine engine = new IndicatorEngine(false);
    BARS.subList(0, 30).forEach(engine::accept);
    IndicatorState state = engine.snapshot();
    // Bar 30: ATR seeded at 14, MACD line from 26 → 5 values of the 9 the signal needs.
    assertThat(state.trueRangeSeed()).isEmpty();
    assertThat(state.macdSeed()).hasSize(5);
    assertThat(state.macdSignal()).isNull();
    assertThat(state.atr()).isNotNull();
  }

  @Test
  void rejectsOutOfOrderAndDuplicateBarsAndStaysUsable() {
    IndicatorEngine engine = new IndicatorEngine(false);
    engine.accept(BARS.get(0));
    engine.accept(BARS.get(1));
    IndicatorState before = engine.snapshot();

    assertThatThrownBy(() -> engine.accept(BARS.get(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strictly increasing bar-start order");
    assertThatThrownBy(() -> engine.accept(BARS.get(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(engine.snapshot()).isEqualTo(before);
  }

  @Test
  void rejectsAnInconsistentState() {
    assertThatThrownBy(
            () ->
                new IndicatorState(
                    3,
                    0,
                    new double[2],
                    new double[0],
                    new double[0],
                    new double[0],
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bars but 2 closes");
  }

  static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(value)))) {
      return (T) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
