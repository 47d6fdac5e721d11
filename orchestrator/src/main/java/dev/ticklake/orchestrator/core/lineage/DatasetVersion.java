package dev.ticklake.orchestrator.core.lineage;

import java.util.Objects;

/**
 * One dataset at one version, as read or written by a try. Version strings (see docs/lineage.md):
 *
 * <ul>
 *   <li>Delta table written: the committed version, {@code 16};
 *   <li>Delta table read: a snapshot {@code 15}, an incremental range {@code (12,15]}, or nothing
 *       new {@code (15,15]};
 *   <li>Kafka topic read: one entry per partition, {@code 0:[100,200)}; nothing new: {@link
 *       #NOTHING_NEW}.
 * </ul>
 */
public record DatasetVersion(Dataset dataset, String version) {

  /** The version of a source in which a batch found nothing new and has no positions. */
  public static final String NOTHING_NEW = "(nothing new)";

  public DatasetVersion {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(version, "version");
  }

  /** A Delta version read or written whole: {@code "15"}. */
  public static DatasetVersion snapshot(Dataset dataset, long version) {
    return new DatasetVersion(dataset, Long.toString(version));
  }

  /**
   * Delta versions {@code (fromExclusive, toInclusive]} read incrementally; a snapshot when {@code
   * fromExclusive < 0} and {@code toInclusive >= 0}.
   */
  public static DatasetVersion changes(Dataset dataset, long fromExclusive, long toInclusive) {
    if (fromExclusive < 0 && toInclusive >= 0) {
      return snapshot(dataset, toInclusive);
    }
    return new DatasetVersion(dataset, "(" + fromExclusive + "," + toInclusive + "]");
  }

  /** Offsets {@code [from, to)} of one Kafka partition: {@code "0:[100,200)"}. */
  public static DatasetVersion kafkaOffsets(
      Dataset topic, int partition, long fromInclusive, long toExclusive) {
    return new DatasetVersion(topic, partition + ":[" + fromInclusive + "," + toExclusive + ")");
  }
}
