package dev.ticklake.transforms.silver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Data-quality tallies of (part of) a batch: Bronze rows seen, rows that did not parse, and per
 * expectation (in declaration order) the parsed rows that failed it. Mutable accumulator; summed
 * with {@link Sum}. Serializable because Beam serialises an empty batch's default value.
 */
final class DqCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  long parseFailed;
  final long[] failed;

  DqCounts(int expectations) {
    this.failed = new long[expectations];
  }

  long parsed() {
    return rows - parseFailed;
  }

  void add(DqCounts other) {
    rows += other.rows;
    parseFailed += other.parseFailed;
    for (int i = 0; i < failed.length; i++) {
      failed[i] += other.failed[i];
    }
  }

  boolean isEmpty() {
    return rows == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DqCounts c
        && rows == c.rows
        && parseFailed == c.parseFailed
        && Arrays.equals(failed, c.failed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rows) * 31 + Arrays.hashCode(failed);
  }

  @Override
  public String toString() {
    return "DqCounts[rows="
        + rows
        + ", parseFailed="
        + parseFailed
        + ", failed="
        + Arrays.toString(failed)
        + "]";
  }

  static final class DqCountsCoder extends AtomicCoder<DqCounts> {
    private static final long serialVersionUID = 1L;
    private static final VarLongCoder LONGS = VarLongCoder.of();

    @Override
    public void encode(DqCounts c, OutputStream out) throws IOException {
      LONGS.encode((long) c.failed.length, out);
      LONGS.encode(c.rows, out);
      LONGS.encode(c.parseFailed, out);
      for (long f : c.failed) {
        LONGS.encode(f, out);
      }
    }

    @Override
    public DqCounts decode(InputStream in) throws IOException {
      DqCounts c = new DqCounts(LONGS.decode(in).intValue());
      c.rows = LONGS.decode(in);
      c.parseFailed = LONGS.decode(in);
      for (int i = 0; i < c.failed.length; i++) {
        c.failed[i] = LONGS.decode(in);
      }
      return c;
    }
  }

  static final Coder<DqCounts> CODER = new DqCountsCoder();

  /** Sums bundle tallies into the batch's; an empty batch gives all zeros. */
  static final class Sum extends Combine.CombineFn<DqCounts, DqCounts, DqCounts> {
    private static final long serialVersionUID = 1L;
    private final int expectations;

    Sum(int expectations) {
      this.expectations = expectations;
    }

    @Override
    public DqCounts createAccumulator() {
      return new DqCounts(expectations);
    }

    @Override
    public DqCounts addInput(DqCounts acc, DqCounts input) {
      acc.add(input);
      return acc;
    }

    @Override
    public DqCounts mergeAccumulators(Iterable<DqCounts> accs) {
      DqCounts sum = createAccumulator();
      accs.forEach(sum::add);
      return sum;
    }

    @Override
    public DqCounts extractOutput(DqCounts acc) {
      return acc;
    }

    @Override
    public Coder<DqCounts> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<DqCounts> inputCoder) {
      return CODER;
    }

    @Override
    public Coder<DqCounts> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<DqCounts> inputCoder) {
      return CODER;
    }
  }
}
