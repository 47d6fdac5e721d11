package dev.ticklake.transforms.backtest;

import java.util.Arrays;

/**
 * The arithmetic of a backtest over one price series: positions decided at the close of bar t and
 * held to the close of bar t+1, costs charged on every change of position.
 *
 * <p>With closes C_0..C_n and positions p_0..p_{n−1} (1 long, 0 flat, −1 short; the position before
 * p_0 is flat), the return of step t is {@code p_t·(C_{t+1}/C_t − 1) − cost·|p_t − p_{t−1}|} and
 * equity compounds from 1.0: {@code E_{t+1} = E_t·(1 + return_t)}. Sharpe is the mean step return
 * over its sample standard deviation times √{@code periodsPerYear} (NaN when the deviation is 0);
 * max drawdown the largest {@code (peak − E)/peak}; trades the number of position changes; costs
 * paid the sum of {@code cost·|Δp|}.
 */
public final class Backtest {
  /** Trading days a year: the annualisation of daily Sharpe ratios. */
  public static final int DAILY_PERIODS = 252;

  private Backtest() {}

  /** The result of one strategy on one series; {@code equity[0] = 1}, one more than positions. */
  public record Result(
      double[] equity,
      int[] positions,
      double totalReturn,
      double sharpe,
      double maxDrawdown,
      long trades,
      double costsPaid) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Result r
          && Arrays.equals(equity, r.equity)
          && Arrays.equals(positions, r.positions)
          && Double.compare(sharpe, r.sharpe) == 0;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(equity);
    }
  }

  /**
   * Runs {@code positions} (length n) over {@code closes} (length n + 1).
   *
   * @throws IllegalArgumentException on mismatched lengths, a non-positive close, a position other
   *     than −1, 0, 1, or a negative cost
   */
  public static Result run(double[] closes, int[] positions, double cost, int periodsPerYear) {
    if (closes.length != positions.length + 1) {
      throw new IllegalArgumentException(
          "a backtest needs one more close than positions: "
              + closes.length
              + " closes, "
              + positions.length
              + " positions");
    }
    if (cost < 0) {
      throw new IllegalArgumentException("cost must be >= 0 but was " + cost);
    }
    for (double c : closes) {
      if (!(c > 0 && Double.isFinite(c))) {
        throw new IllegalArgumentException("closes must be finite and > 0, got " + c);
      }
    }
    int n = positions.length;
    double[] equity = new double[n + 1];
    double[] step = new double[n];
    equity[0] = 1.0;
    int previous = 0;
    long trades = 0;
    double costs = 0;
    for (int t = 0; t < n; t++) {
      int p = positions[t];
      if (p < -1 || p > 1) {
        throw new IllegalArgumentException("position must be -1, 0 or 1 but was " + p);
      }
      double charge = cost * Math.abs(p - previous);
      if (p != previous) {
        trades++;
      }
      costs += charge;
      step[t] = p * (closes[t + 1] / closes[t] - 1) - charge;
      equity[t + 1] = equity[t] * (1 + step[t]);
      previous = p;
    }
    return new Result(
        equity,
        positions.clone(),
        equity[n] - 1,
        sharpe(step, periodsPerYear),
        maxDrawdown(equity),
        trades,
        costs);
  }

  /** Mean over sample standard deviation, times √periodsPerYear; NaN for fewer than 2 or sd 0. */
  public static double sharpe(double[] returns, int periodsPerYear) {
    if (returns.length < 2) {
      return Double.NaN;
    }
    double mean = Arrays.stream(returns).average().orElseThrow();
    double ss = 0;
    for (double r : returns) {
      ss += (r - mean) * (r - mean);
    }
    double sd = Math.sqrt(ss / (returns.length - 1));
    return sd == 0 ? Double.NaN : mean / sd * Math.sqrt(periodsPerYear);
  }

  /** The largest fall from a running peak, as a fraction of the peak (0 when never below it). */
  public static double maxDrawdown(double[] equity) {
    double peak = Double.NEGATIVE_INFINITY;
    double worst = 0;
    for (double e : equity) {
      peak = Math.max(peak, e);
      worst = Math.max(worst, (peak - e) / peak);
    }
    return worst;
  }
}
