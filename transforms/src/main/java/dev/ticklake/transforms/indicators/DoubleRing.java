package dev.ticklake.transforms.indicators;

import java.util.Arrays;

/**
 * A fixed-capacity FIFO of doubles: adding to a full ring evicts the oldest value. Indices are
 * chronological ({@code 0} = oldest). Mutable and not thread-safe; engines copy it out into
 * immutable snapshots with {@link #toArray()}.
 */
final class DoubleRing {
  private final double[] values;
  private int start;
  private int size;

  DoubleRing(int capacity) {
    this.values = new double[capacity];
  }

  /** A ring of {@code capacity} holding {@code initial} (oldest first, at most capacity). */
  static DoubleRing of(int capacity, double[] initial) {
    if (initial.length > capacity) {
      throw new IllegalArgumentException(
          "Cannot restore " + initial.length + " values into a ring of capacity " + capacity);
    }
    DoubleRing ring = new DoubleRing(capacity);
    for (double value : initial) {
      ring.add(value);
    }
    return ring;
  }

  void add(double value) {
    if (size < values.length) {
      values[(start + size) % values.length] = value;
      size++;
    } else {
      values[start] = value;
      start = (start + 1) % values.length;
    }
  }

  /** The {@code i}-th value, oldest first. */
  double get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " not in [0, " + size + ")");
    }
    return values[(start + i) % values.length];
  }

  double last() {
    return get(size - 1);
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == values.length;
  }

  void clear() {
    start = 0;
    size = 0;
    Arrays.fill(values, 0.0);
  }

  /** The last {@code n} values, oldest first. */
  double[] lastN(int n) {
    if (n > size) {
      throw new IllegalArgumentException("Asked for the last " + n + " of " + size + " values");
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = get(size - n + i);
    }
    return out;
  }

  double[] toArray() {
    return lastN(size);
  }
}
