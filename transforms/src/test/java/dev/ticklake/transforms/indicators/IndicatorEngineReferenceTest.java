package dev.ticklake.transforms.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link ReferenceIndicators}, an independent full-history implementation, bar
 * by bar on a seeded 1,000-bar random walk, for every output.
 */
class IndicatorEngineReferenceTest {
  private static final double RELATIVE_TOLERANCE = 1e-9;

  private static final List<Bar> BARS = RandomBars.walk(20261120L, 1_000);

  @Test
  void everyIndicatorMatchesTheFullHistoryReferenceOnEveryBar() {
    compareWithReference(false);
  }

  @Test
  void annualisedVolatilityIsThePerBarVolatilityTimesSqrt252() {
    compareWithReference(true);
  }

  private static void compareWithReference(boolean annualise) {
    double[] close = ReferenceIndicators.closes(BARS);
    Double[] closes = ReferenceIndicators.boxed(close);
    Double[] sma20 = ReferenceIndicators.sma(close, 20);
    Double[] ema12 = ReferenceIndicators.ema(closes, 12);
    Double[] ema26 = ReferenceIndicators.ema(closes, 26);
    Double[] macd = ReferenceIndicators.minus(ema12, ema26);
    Double[] signal = ReferenceIndicators.ema(macd, 9);
    Double[] sd20 = ReferenceIndicators.rollingStdev(closes, 20, 0);
    Double[] volatility =
        ReferenceIndicators.rollingStdev(ReferenceIndicators.logReturns(close), 20, 1);
    Double[] upper = new Double[close.length];
    Double[] lower = new Double[close.length];
    Double[] pctB = new Double[close.length];
    for (int i = 0; i < close.length; i++) {
      if (sma20[i] != null) {
        upper[i] = sma20[i] + 2 * sd20[i];
        lower[i] = sma20[i] - 2 * sd20[i];
        pctB[i] = upper[i].equals(lower[i]) ? 0.5 : (close[i] - lower[i]) / (upper[i] - lower[i]);
      }
      if (annualise && volatility[i] != null) {
        volatility[i] = volatility[i] * Math.sqrt(252);
      }
    }

    Map<String, Double[]> expected = new LinkedHashMap<>();
    expected.put("sma20", sma20);
    expected.put("sma50", ReferenceIndicators.sma(close, 50));
    expected.put("ema12", ema12);
    expected.put("ema26", ema26);
    expected.put("rsi14", ReferenceIndicators.rsi(close, 14));
    expected.put("macd", macd);
    expected.put("macdSignal", signal);
    expected.put("macdHist", ReferenceIndicators.minus(macd, signal));
    expected.put("bbUpper", upper);
    expected.put("bbMiddle", sma20);
    expected.put("bbLower", lower);
    expected.put("bbPctB", pctB);
    expected.put("atr14", ReferenceIndicators.atr(BARS, 14));
    expected.put("volatility20", volatility);
    expected.put("obv", ReferenceIndicators.obv(BARS));

    Map<String, Function<IndicatorValues, Double>> actual = accessors();
    IndicatorEngine engine = new IndicatorEngine(annualise);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < BARS.size(); i++) {
      IndicatorValues values = engine.accept(BARS.get(i));
      for (Map.Entry<String, Double[]> e : expected.entrySet()) {
        Double want = e.getValue()[i];
        Double got = actual.get(e.getKey()).apply(values);
        if (!close(got, want, e.getKey(), close[i])) {
          mismatches.add("bar " + (i + 1) + " " + e.getKey() + ": got " + got + ", want " + want);
        }
      }
    }
    assertThat(mismatches).isEmpty();
    // The warm-up lengths the definitions promise, on this series too.
    assertThat(expected.get("macdSignal")[32]).isNull();
    assertThat(expected.get("macdSignal")[33]).isNotNull();
    assertThat(expected.get("volatility20")[19]).isNull();
    assertThat(expected.get("volatility20")[20]).isNotNull();
  }

  /**
   * Relative tolerance 1e-9. Differences of prices (MACD, histogram) can be near 0, so for those
   * the tolerance is relative to the price level that they are differences of.
   */
  private static boolean close(Double got, Double want, String name, double price) {
    if (want == null || got == null) {
      return want == null && got == null;
    }
    double scale = Math.abs(want);
    if (name.startsWith("macd")) {
      scale = Math.max(scale, price);
    }
    return Math.abs(got - want) <= RELATIVE_TOLERANCE * scale;
  }

  static Map<String, Function<IndicatorValues, Double>> accessors() {
    Map<String, Function<IndicatorValues, Double>> m = new LinkedHashMap<>();
    m.put("sma20", IndicatorValues::sma20);
    m.put("sma50", IndicatorValues::sma50);
    m.put("ema12", IndicatorValues::ema12);
    m.put("ema26", IndicatorValues::ema26);
    m.put("rsi14", IndicatorValues::rsi14);
    m.put("macd", IndicatorValues::macd);
    m.put("macdSignal", IndicatorValues::macdSignal);
    m.put("macdHist", IndicatorValues::macdHist);
    m.put("bbUpper", IndicatorValues::bbUpper);
    m.put("bbMiddle", IndicatorValues::bbMiddle);
    m.put("bbLower", IndicatorValues::bbLower);
    m.put("bbPctB", IndicatorValues::bbPctB);
    m.put("atr14", IndicatorValues::atr14);
    m.put("volatility20", IndicatorValues::volatility20);
    m.put("obv", IndicatorValues::obv);
    if (m.size() != IndicatorValues.class.getRecordComponents().length) {
      fail("accessors() must cover every IndicatorValues component");
    }
    return m;
  }
}
