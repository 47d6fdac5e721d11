package dev.ticklake.orchestrator.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * Bucket downsampling of a time series that keeps OHLC meaning: per bucket the first open, the
 * highest high, the lowest low, the last close, the summed volume, a volume-weighted VWAP, and the
 * last value of any other column (an indicator at the bucket's end). Buckets are aligned on the
 * epoch ({@code floor(t / width) * width}) and a point carries its bucket's start. Pure functions.
 */
public final class Downsampling {
  private Downsampling() {}

  /** How a column folds within a bucket. Nulls are skipped; a bucket of nulls gives null. */
  public enum Fold {
    FIRST,
    LAST,
    MAX,
    MIN,
    SUM,
    /** Σ(value × weight) / Σ weight, the weight being the {@code weightColumn}; LAST if Σ is 0. */
    WEIGHTED
  }

  /** One row: epoch millis and the values of the columns (nullable). */
  public record Point(long time, Double[] values) {}

  /** The fold of a Gold column: OHLC and volume semantics, LAST for everything else. */
  public static Fold foldOf(String column) {
    return switch (column) {
      case "open" -> Fold.FIRST;
      case "high" -> Fold.MAX;
      case "low" -> Fold.MIN;
      case "volume", "trade_count", "total_volume" -> Fold.SUM;
      case "vwap" -> Fold.WEIGHTED;
      default -> Fold.LAST;
    };
  }

  /**
   * The bucket width for {@code rows} points spanning {@code [fromMs, toMs]}, or 0 when the points
   * should be served as they are (no more than {@code maxDataPoints} and {@code intervalMs} not
   * wider than a bar). Otherwise the smallest whole number of bars that is at least {@code
   * intervalMs} and makes at most {@code maxDataPoints} epoch-aligned buckets over the range.
   */
  public static long bucketMillis(
      long fromMs, long toMs, int rows, int maxDataPoints, long intervalMs, long barMs) {
    if (maxDataPoints < 2) {
      throw new IllegalArgumentException("maxDataPoints must be at least 2, got " + maxDataPoints);
    }
    if (rows <= maxDataPoints && intervalMs <= barMs) {
      return 0;
    }
    long span = Math.max(0, toMs - fromMs);
    // An interval of length L meets at most floor(L / w) + 2 aligned buckets of width w.
    long forPoints = rows > maxDataPoints ? span / (maxDataPoints - 1) + 1 : 0;
    long width = Math.max(Math.max(forPoints, intervalMs), barMs);
    return Math.floorDiv(width + barMs - 1, barMs) * barMs;
  }

  /**
   * Folds sorted {@code points} into buckets of {@code widthMs}.
   *
   * @param folds one per value column
   * @param weightColumn the column {@link Fold#WEIGHTED} weighs by (-1: none)
   */
  public static List<Point> downsample(
      List<Point> points, Fold[] folds, int weightColumn, long widthMs) {
    List<Point> out = new ArrayList<>();
    int i = 0;
    while (i < points.size()) {
      long bucket = Math.floorDiv(points.get(i).time(), widthMs) * widthMs;
      int j = i;
      while (j < points.size()
          && Math.floorDiv(points.get(j).time(), widthMs) * widthMs == bucket) {
        j++;
      }
      List<Point> members = points.subList(i, j);
      Double[] values = new Double[folds.length];
      for (int c = 0; c < folds.length; c++) {
        values[c] = fold(members, c, folds[c], weightColumn);
      }
      out.add(new Point(bucket, values));
      i = j;
    }
    return out;
  }

  private static Double fold(List<Point> members, int c, Fold fold, int weightColumn) {
    Double acc = null;
    double weighted = 0;
    double weights = 0;
    for (Point p : members) {
      Double v = p.values()[c];
      if (v == null) {
        continue;
      }
      switch (fold) {
        case FIRST -> {
          if (acc == null) {
            acc = v;
          }
        }
        case LAST -> acc = v;
        case MAX -> acc = acc == null ? v : Math.max(acc, v);
        case MIN -> acc = acc == null ? v : Math.min(acc, v);
        case SUM -> acc = acc == null ? v : acc + v;
        case WEIGHTED -> {
          Double w = weightColumn < 0 ? null : p.values()[weightColumn];
          if (w != null) {
            weighted += v * w;
            weights += w;
          }
          acc = v; // the LAST fallback
        }
      }
    }
    if (fold == Fold.WEIGHTED && weights > 0) {
      return weighted / weights;
    }
    return acc;
  }
}
