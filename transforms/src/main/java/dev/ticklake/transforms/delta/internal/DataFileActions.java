package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileAction;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.RemoveFile;
import java.util.Optional;

/** {@link DataFileAction}s to and from delta-standalone's file actions. */
public final class DataFileActions {
  private DataFileActions() {}

  /** Removal of a file that a snapshot lists. */
  public static DataFileAction remove(AddFile existing) {
    return DataFileAction.remove(
        existing.getPath(),
        existing.getPartitionValues(),
        existing.getSize(),
        DeltaStats.numRecords(existing.getStats()));
  }

  /** A file of the log as the element that a read step reads. */
  public static DataFileAction toRead(AddFile f) {
    return DataFileAction.add(
        f.getPath(),
        f.getPartitionValues(),
        f.getSize(),
        DeltaStats.numRecords(f.getStats()),
        null);
  }

  public static AddFile toAddFile(DataFileAction f, long modificationTime, boolean dataChange) {
    // delta-standalone splices the stats string into the log as raw text: it must be a JSON
    // string literal holding the stats object, i.e. encoded twice.
    return new AddFile(
        f.path(),
        f.partitionValues(),
        f.sizeBytes(),
        modificationTime,
        dataChange,
        f.statsJson() == null ? null : DeltaStats.quote(f.statsJson()),
        null);
  }

  public static RemoveFile toRemoveFile(
      DataFileAction f, long deletionTimestamp, boolean dataChange) {
    return new RemoveFile(
        f.path(),
        Optional.of(deletionTimestamp),
        dataChange,
        true,
        f.partitionValues(),
        Optional.of(f.sizeBytes()),
        null);
  }
}
