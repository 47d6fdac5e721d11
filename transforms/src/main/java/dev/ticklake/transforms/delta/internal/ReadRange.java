package dev.ticklake.transforms.delta.internal;

import java.io.Serializable;

/**
 * Which rows a read takes: the latest snapshot, one at a version or timestamp, or the files added
 * by the commits in {@code (from, to]} ({@code to = -1}: up to the latest version).
 */
public record ReadRange(Kind kind, long from, long to) implements Serializable {
  /** The kinds of range. */
  public enum Kind {
    LATEST,
    VERSION,
    TIMESTAMP,
    CHANGES
  }

  public static ReadRange latest() {
    return new ReadRange(Kind.LATEST, -1, -1);
  }

  public static ReadRange version(long v) {
    return new ReadRange(Kind.VERSION, v, v);
  }

  public static ReadRange timestamp(long millis) {
    return new ReadRange(Kind.TIMESTAMP, millis, millis);
  }

  public static ReadRange changes(long fromExclusive, long toInclusive) {
    return new ReadRange(Kind.CHANGES, fromExclusive, toInclusive);
  }
}
