package dev.ticklake.transforms.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small series whose indicators are worked out by hand (the derivation is in each comment). */
class IndicatorEngineTest {
  private static final long MINUTE = 60_000_000L;
  private static final double EXACT = 1e-12;

  /** Bars with high = close + 1, low = close − 1, one minute apart, volume 100·(i+1). */
  private static List<IndicatorValues> run(boolean annualise, double... closes) {
    IndicatorEngine engine = new IndicatorEngine(annualise);
    List<IndicatorValues> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      double c = closes[i];
      out.add(engine.accept(new Bar(i * MINUTE, c, c + 1, c - 1, c, 100.0 * (i + 1))));
    }
    return out;
  }

  private static double[] linear(int n) {
    double[] closes = new double[n];
    for (int i = 0; i < n; i++) {
      closes[i] = i + 11;
    }
    return closes;
  }

  @Test
  void aSingleBarHasOnlyObvZero() {
    IndicatorValues v = run(false, 42.0).get(0);
    assertThat(v)
        .isEqualTo(
            new IndicatorValues(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                0.0));
  }

  @Test
  void fewerBarsThanThePeriodGiveNulls() {
    List<IndicatorValues> v = run(false, linear(50));
    assertThat(v.get(10).ema12()).isNull();
    assertThat(v.get(11).ema12()).isNotNull(); // bar 12
    assertThat(v.get(12).atr14()).isNull();
    assertThat(v.get(13).atr14()).isNotNull(); // bar 14
    assertThat(v.get(13).rsi14()).isNull();
    assertThat(v.get(14).rsi14()).isNotNull(); // bar 15: 14 changes
    assertThat(v.get(18).sma20()).isNull();
    assertThat(v.get(18).bbPctB()).isNull();
    assertThat(v.get(19).sma20()).isNotNull(); // bar 20
    assertThat(v.get(19).volatility20()).isNull(); // 19 returns only
    assertThat(v.get(20).volatility20()).isNotNull(); // bar 21
    assertThat(v.get(24).macd()).isNull();
    assertThat(v.get(25).macd()).isNotNull(); // bar 26
    assertThat(v.get(32).macdSignal()).isNull();
    assertThat(v.get(32).macdHist()).isNull();
    assertThat(v.get(33).macdSignal()).isNotNull(); // bar 34: 9 MACD values
    assertThat(v.get(48).sma50()).isNull();
    assertThat(v.get(49).sma50()).isNotNull(); // bar 50
  }

  /**
   * Closes 11, 12, 13, … (close_t = c_t = t + 10), high/low = close ± 1. SMA20 at t = c_t − 9.5.
   * EMA(n) is seeded with mean(c_1 … c_n) = c_n − (n−1)/2; since c_t − (n−1)/2 satisfies the
   * recurrence E_t = E_{t−1} + α(t − E_{t−1}) with α = 2/(n+1) (the lag (1−α)/α = (n−1)/2 is
   * constant), EMA12 = c_t − 5.5 and EMA26 = c_t − 12.5 for ever, so MACD = 7, signal = mean of
   * nine 7s = 7, histogram = 0. Every change is +1: RSI = 100. Population sd of 20 consecutive
   * integers = √((20²−1)/12) = √33.25. TR = max(2, |t+1 − (t−1)|, |t−1 − (t−1)|) = 2, so ATR = 2.
   * OBV adds every volume: at bar t it is 100·(2 + … + t).
   */
  @Test
  void aLinearSeries() {
    List<IndicatorValues> v = run(false, linear(60));
    for (int t = 1; t <= 60; t++) {
      IndicatorValues bar = v.get(t - 1);
      double c = t + 10;
      if (t >= 12) {
        assertThat(bar.ema12()).isCloseTo(c - 5.5, within(EXACT));
      }
      if (t >= 20) {
        assertThat(bar.sma20()).isCloseTo(c - 9.5, within(EXACT));
        double sd = Math.sqrt(33.25);
        assertThat(bar.bbUpper()).isCloseTo(c - 9.5 + 2 * sd, within(EXACT));
        assertThat(bar.bbLower()).isCloseTo(c - 9.5 - 2 * sd, within(EXACT));
        assertThat(bar.bbPctB()).isCloseTo((9.5 + 2 * sd) / (4 * sd), within(EXACT));
      }
      if (t >= 26) {
        assertThat(bar.ema26()).isCloseTo(c - 12.5, within(EXACT));
        assertThat(bar.macd()).isCloseTo(7.0, within(EXACT));
      }
      if (t >= 34) {
        assertThat(bar.macdSignal()).isCloseTo(7.0, within(EXACT));
        assertThat(bar.macdHist()).isCloseTo(0.0, within(EXACT));
      }
      if (t >= 15) {
        assertThat(bar.rsi14()).isEqualTo(100.0);
      }
      if (t >= 14) {
        assertThat(bar.atr14()).isCloseTo(2.0, within(EXACT));
      }
      if (t >= 50) {
        assertThat(bar.sma50()).isCloseTo(c - 24.5, within(EXACT));
      }
      assertThat(bar.obv()).isEqualTo(100.0 * (t * (t + 1) / 2 - 1));
    }
  }

  /** Flat prices: RSI 50 (no gain, no loss), %b 0.5, bands collapse, volatility 0, ATR = range. */
  @Test
  void flatPrices() {
    double[] closes = new double[60];
    java.util.Arrays.fill(closes, 100.1);
    IndicatorValues last = run(true, closes).get(59);
    assertThat(last)
        .isEqualTo(
            new IndicatorValues(
                100.1,
                100.1,
                100.1,
                100.1,
                50.0,
                0.0,
                0.0,
                0.0,
                100.1,
                100.1,
                100.1,
                0.5,
                last.atr14(),
                0.0,
                0.0));
    assertThat(last.atr14()).isCloseTo(2.0, within(EXACT));
  }

  /** Strictly falling closes: no gains, so RSI = 100 − 100/(1 + 0) = 0; OBV subtracts. */
  @Test
  void strictlyFallingPricesGiveRsiZero() {
    double[] closes = new double[20];
    for (int i = 0; i < 20; i++) {
      closes[i] = 100 - i;
    }
    List<IndicatorValues> v = run(false, closes);
    assertThat(v.get(19).rsi14()).isEqualTo(0.0);
    assertThat(v.get(1).obv()).isEqualTo(-200.0);
  }

  /**
   * 14 changes, seven +2 and seven −1: avgGain = 14/14 = 1, avgLoss = 7/14 = 0.5, RS = 2, RSI = 100
   * − 100/3. Next change +3: avgGain = (13 + 3)/14 = 16/14, avgLoss = 6.5/14, RS = 32/13, RSI = 100
   * − 100·13/45. Next change 0: both averages scale by 13/14, RS and RSI unchanged.
   */
  @Test
  void rsiWilderSmoothingByHand() {
    double[] closes = new double[17];
    closes[0] = 50;
    for (int i = 1; i <= 14; i++) {
      closes[i] = closes[i - 1] + (i % 2 == 1 ? 2 : -1);
    }
    closes[15] = closes[14] + 3;
    closes[16] = closes[15];
    List<IndicatorValues> v = run(false, closes);
    assertThat(v.get(14).rsi14()).isCloseTo(100 - 100.0 / 3, within(EXACT));
    assertThat(v.get(15).rsi14()).isCloseTo(100 - 100.0 * 13 / 45, within(EXACT));
    assertThat(v.get(16).rsi14()).isCloseTo(100 - 100.0 * 13 / 45, within(EXACT));
  }

  /** Ten closes of 9 then ten of 11: mean 10, population sd 1, bands 12/8, %b = (11−8)/4. */
  @Test
  void bollingerUsesThePopulationStandardDeviation() {
    double[] closes = new double[20];
    for (int i = 0; i < 20; i++) {
      closes[i] = i < 10 ? 9 : 11;
    }
    IndicatorValues last = run(false, closes).get(19);
    assertThat(last.bbMiddle()).isEqualTo(10.0);
    assertThat(last.bbUpper()).isEqualTo(12.0);
    assertThat(last.bbLower()).isEqualTo(8.0);
    assertThat(last.bbPctB()).isEqualTo(0.75);
  }

  /**
   * 20 log returns alternating ±0.01: mean 0, sample sd = √(20·0.0001/19) = 0.01·√(20/19); daily
   * bars multiply by √252.
   */
  @Test
  void volatilityIsTheSampleStdevOfLogReturns() {
    double[] closes = new double[21];
    for (int i = 0; i < 21; i++) {
      closes[i] = 100 * Math.exp(i % 2 == 0 ? 0 : 0.01);
    }
    double perBar = 0.01 * Math.sqrt(20.0 / 19.0);
    assertThat(run(false, closes).get(20).volatility20()).isCloseTo(perBar, within(1e-15));
    assertThat(run(true, closes).get(20).volatility20())
        .isCloseTo(perBar * Math.sqrt(252), within(1e-14));
  }

  /** OBV: 0; up +200; equal unchanged; down −400; up +500. */
  @Test
  void onBalanceVolume() {
    List<IndicatorValues> v = run(false, 10, 11, 11, 9, 12);
    assertThat(v)
        .extracting(IndicatorValues::obv)
        .containsExactly(0.0, 200.0, 200.0, -200.0, 300.0);
  }

  /**
   * A price gap: 13 bars at close 10 (range 1, TR 1), then bar 14 trades 14–15 after closing at 10:
   * TR = max(1, |15 − 10|, |14 − 10|) = 5, first ATR = (13 + 5)/14. Bar 15 gaps down to 8–9 after
   * 14.5: TR = max(1, |9 − 14.5|, |8 − 14.5|) = 6.5, ATR = (18/14·13 + 6.5)/14.
   */
  @Test
  void trueRangeSpansPriceGaps() {
    IndicatorEngine engine = new IndicatorEngine(false);
    for (int i = 0; i < 13; i++) {
      engine.accept(new Bar(i * MINUTE, 10, 10.5, 9.5, 10, 1));
    }
    IndicatorValues bar14 = engine.accept(new Bar(13 * MINUTE, 14.5, 15, 14, 14.5, 1));
    IndicatorValues bar15 = engine.accept(new Bar(14 * MINUTE, 8.5, 9, 8, 8.5, 1));
    assertThat(bar14.atr14()).isCloseTo(18.0 / 14, within(EXACT));
    assertThat(bar15.atr14()).isCloseTo((18.0 / 14 * 13 + 6.5) / 14, within(EXACT));
  }

  /** Gaps in time (missing minutes, a weekend) reset nothing: same values as back-to-back bars. */
  @Test
  void gapsInTimeDoNotChangeAnyValue() {
    List<Bar> contiguous = RandomBars.walk(3L, 80);
    IndicatorEngine withoutGaps = new IndicatorEngine(false);
    IndicatorEngine withGaps = new IndicatorEngine(false);
    long start = 0;
    for (int i = 0; i < contiguous.size(); i++) {
      Bar b = contiguous.get(i);
      start += i == 40 ? 2 * 24 * 60 * MINUTE : (i % 7 == 0 ? 17 * MINUTE : MINUTE);
      Bar gapped = new Bar(start, b.open(), b.high(), b.low(), b.close(), b.volume());
      Bar adjacent = new Bar(i * MINUTE, b.open(), b.high(), b.low(), b.close(), b.volume());
      assertThat(withGaps.accept(gapped)).isEqualTo(withoutGaps.accept(adjacent));
    }
  }
}
