package dev.ticklake.transforms.indicators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Gold indicator column of a bar series from {@link ReferenceIndicators} (the independent,
 * full-history textbook implementation), keyed by the {@code gold/bars_*} column names, for tests
 * outside this package. Index i is bar i + 1; a null value means "not defined yet".
 */
public final class ReferenceSeries {
  private ReferenceSeries() {}

  /** The indicator columns of each bar of {@code bars} (one series, in order). */
  public static List<Map<String, Double>> indicators(List<Bar> bars, boolean annualise) {
    double[] close = ReferenceIndicators.closes(bars);
    Double[] closes = ReferenceIndicators.boxed(close);
    Double[] sma20 = ReferenceIndicators.sma(close, 20);
    Double[] sma50 = ReferenceIndicators.sma(close, 50);
    Double[] ema12 = ReferenceIndicators.ema(closes, 12);
    Double[] ema26 = ReferenceIndicators.ema(closes, 26);
    Double[] macd = ReferenceIndicators.minus(ema12, ema26);
    Double[] signal = ReferenceIndicators.ema(macd, 9);
    Double[] hist = ReferenceIndicators.minus(macd, signal);
    Double[] rsi = ReferenceIndicators.rsi(close, 14);
    Double[] sd20 = ReferenceIndicators.rollingStdev(closes, 20, 0);
    Double[] volatility =
        ReferenceIndicators.rollingStdev(ReferenceIndicators.logReturns(close), 20, 1);
    Double[] atr = ReferenceIndicators.atr(bars, 14);
    Double[] obv = ReferenceIndicators.obv(bars);
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int i = 0; i < close.length; i++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("sma_20", sma20[i]);
      m.put("sma_50", sma50[i]);
      m.put("ema_12", ema12[i]);
      m.put("ema_26", ema26[i]);
      m.put("rsi_14", rsi[i]);
      m.put("macd", macd[i]);
      m.put("macd_signal", signal[i]);
      m.put("macd_hist", hist[i]);
      Double upper = sma20[i] == null ? null : sma20[i] + 2 * sd20[i];
      Double lower = sma20[i] == null ? null : sma20[i] - 2 * sd20[i];
      m.put("bb_upper", upper);
      m.put("bb_middle", sma20[i]);
      m.put("bb_lower", lower);
      m.put(
          "bb_pct_b",
          upper == null ? null : upper.equals(lower) ? 0.5 : (close[i] - lower) / (upper - lower));
      m.put("atr_14", atr[i]);
      m.put(
          "volatility_20",
          volatility[i] == null
              ? null
              : annualise ? volatility[i] * Math.sqrt(252) : volatility[i]);
      m.put("obv", obv[i]);
      rows.add(m);
    }
    return rows;
  }
}
