package dev.ticklake.transforms.delta;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One file a batch adds to or removes from a table: what the workers hand to the single commit
 * step. {@code path} is relative to the table root and URI-encoded, exactly as in the Delta log.
 * Immutable and serializable; callers of {@link DeltaWrite#dataFiles()} and {@link
 * DeltaIO#commitInOrder} pass it through unchanged.
 */
public final class DataFileAction implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Whether the commit adds or removes the file. */
  public enum Kind {
    ADD,
    REMOVE
  }

  private final Kind kind;
  private final String path;
  private final LinkedHashMap<String, String> partitionValues;
  private final long sizeBytes;
  private final long numRecords;
  private final String statsJson;

  private DataFileAction(
      Kind kind,
      String path,
      Map<String, String> partitionValues,
      long sizeBytes,
      long numRecords,
      String statsJson) {
    this.kind = kind;
    this.path = path;
    this.partitionValues = new LinkedHashMap<>(partitionValues);
    this.sizeBytes = sizeBytes;
    this.numRecords = numRecords;
    this.statsJson = statsJson;
  }

  /** A new data file, with its Delta statistics JSON (null: none). */
  public static DataFileAction add(
      String path,
      Map<String, String> partitionValues,
      long sizeBytes,
      long numRecords,
      String statsJson) {
    return new DataFileAction(Kind.ADD, path, partitionValues, sizeBytes, numRecords, statsJson);
  }

  /** Removal of a data file that a snapshot lists. */
  public static DataFileAction remove(
      String path, Map<String, String> partitionValues, long sizeBytes, long numRecords) {
    return new DataFileAction(Kind.REMOVE, path, partitionValues, sizeBytes, numRecords, null);
  }

  public Kind kind() {
    return kind;
  }

  public String path() {
    return path;
  }

  public Map<String, String> partitionValues() {
    return partitionValues;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  /** Rows in the file; -1 when unknown (a removed file written without stats). */
  public long numRecords() {
    return numRecords;
  }

  /** The file's Delta statistics as JSON (null for removals and files without statistics). */
  public String statsJson() {
    return statsJson;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DataFileAction)) {
      return false;
    }
    DataFileAction that = (DataFileAction) o;
    return kind == that.kind
        && sizeBytes == that.sizeBytes
        && numRecords == that.numRecords
        && path.equals(that.path)
        && partitionValues.equals(that.partitionValues)
        && Objects.equals(statsJson, that.statsJson);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, path, sizeBytes);
  }

  @Override
  public String toString() {
    return kind + " " + path + " (" + numRecords + " rows, " + sizeBytes + " bytes)";
  }
}
