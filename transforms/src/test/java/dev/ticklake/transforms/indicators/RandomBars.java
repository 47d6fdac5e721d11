package dev.ticklake.transforms.indicators;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random-walk bar series for property tests. */
final class RandomBars {
  private static final long MINUTE_MICROS = 60_000_000L;

  private RandomBars() {}

  /**
   * {@code count} 1-minute bars of a geometric random walk (1% per bar), with opening gaps, about
   * 5% unchanged closes (to exercise the "equal" branches of OBV and RSI), occasional 5% jumps and
   * irregular gaps in time (1–120 missing minutes).
   */
  static List<Bar> walk(long seed, int count) {
    Random random = new Random(seed);
    List<Bar> bars = new ArrayList<>(count);
    long start = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    double previousClose = 100.0;
    for (int i = 0; i < count; i++) {
      double open = previousClose * Math.exp(0.002 * random.nextGaussian());
      double close;
      if (random.nextDouble() < 0.05) {
        close = previousClose;
      } else {
        double jump = random.nextDouble() < 0.02 ? 0.05 * Math.signum(random.nextGaussian()) : 0;
        close = previousClose * Math.exp(0.01 * random.nextGaussian() + jump);
      }
      double high = Math.max(open, close) * (1 + 0.005 * random.nextDouble());
      double low = Math.min(open, close) * (1 - 0.005 * random.nextDouble());
      double volume = 100 + random.nextInt(10_000);
      bars.add(new Bar(start, open, high, low, close, volume));
      start += MINUTE_MICROS * (random.nextDouble() < 0.1 ? 1 + random.nextInt(120) : 1);
      previousClose = close;
    }
    return bars;
  }
}
