package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.GoldBarsReader.BarKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * End-to-end freshness: when did each produced event become part of its 1-minute bar in gold?
 *
 * <p>Events are given in Kafka offset order per partition (a symbol lives in one partition, so in
 * order per bar), with their production time (the Kafka record's CreateTime, set by the producer
 * when it sent the event). Gold versions are given in version order with the time each became
 * visible and the {@code trade_count} of every bar. Because every layer consumes its source as a
 * prefix (Bronze reads offset ranges, Silver and Gold the source's new versions), a bar with trade
 * count {@code n} holds the first {@code n} distinct events of that (symbol, minute) in offset
 * order: the {@code k}-th event of a bar is visible from the first version whose count for that bar
 * is at least {@code k}. Its freshness is that version's visible time minus the event's production
 * time. Exact duplicates (same symbol and timestamp) are not counted again, as Silver drops them.
 * Thread-safe: events and versions may come from different threads.
 */
final class FreshnessCalculator {

  /** Freshness of the events produced in a time window. */
  record Result(double[] latenciesMillis, long produced, long notVisible) {}

  private final Map<BarKey, long[]> producedByBar = new HashMap<>();
  private final Map<BarKey, Integer> sizeByBar = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<BarKey, List<long[]>> visibleByBar = new HashMap<>();

  /** One consumed event: its symbol, event timestamp, and production time (epoch ms). */
  synchronized void event(String symbol, Instant ts, long producedAtMillis) {
    if (!seen.add(symbol + '|' + ts)) {
      return;
    }
    BarKey bar = new BarKey(symbol, ts.truncatedTo(ChronoUnit.MINUTES));
    long[] times = producedByBar.computeIfAbsent(bar, b -> new long[16]);
    int size = sizeByBar.getOrDefault(bar, 0);
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      producedByBar.put(bar, times);
    }
    times[size] = producedAtMillis;
    sizeByBar.put(bar, size + 1);
  }

  /** One gold version, in version order: the trade count of every bar and when it was visible. */
  synchronized void version(Instant visibleAt, Map<BarKey, Long> tradeCounts) {
    tradeCounts.forEach(
        (bar, count) -> {
          List<long[]> steps = visibleByBar.computeIfAbsent(bar, b -> new ArrayList<>());
          long last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1)[0];
          if (count > last) {
            steps.add(new long[] {count, visibleAt.toEpochMilli()});
          }
        });
  }

  /**
   * Events produced in {@code [fromMillis, toMillis)}: their freshness, and how many never showed.
   */
  synchronized Result result(long fromMillis, long toMillis) {
    List<Double> latencies = new ArrayList<>();
    long produced = 0;
    long notVisible = 0;
    for (Map.Entry<BarKey, long[]> e : producedByBar.entrySet()) {
      long[] times = e.getValue();
      int size = sizeByBar.get(e.getKey());
      List<long[]> steps = visibleByBar.getOrDefault(e.getKey(), List.of());
      int step = 0;
      for (int k = 1; k <= size; k++) {
        while (step < steps.size() && steps.get(step)[0] < k) {
          step++;
        }
        long producedAt = times[k - 1];
        if (producedAt < fromMillis || producedAt >= toMillis) {
          continue;
        }
        produced++;
        if (step == steps.size()) {
          notVisible++;
        } else {
          latencies.add((double) (steps.get(step)[1] - producedAt));
        }
      }
    }
    return new Result(
        latencies.stream().mapToDouble(Double::doubleValue).toArray(), produced, notVisible);
  }

  /** Distinct events consumed so far. */
  synchronized long events() {
    return seen.size();
  }
}
