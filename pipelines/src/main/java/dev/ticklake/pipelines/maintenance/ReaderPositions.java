package dev.ticklake.pipelines.maintenance;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where the incremental readers of a table stand: every hop after Bronze stores, in its target
 * table, the source version it consumed ({@code SetTransaction} app id {@code <target>:<source>},
 * see the exactly-once contract). Its next batch reads every file added after that version,
 * including files a later commit removed (compaction, upsert, partition replace). Vacuum must keep
 * those files, whatever its retention: {@link #oldestBehind} finds the reader furthest behind.
 */
final class ReaderPositions {
  private ReaderPositions() {}

  /**
   * The catalog reader of {@code source} that is furthest behind its latest version.
   *
   * @param version the source version it consumed (it next reads the changes after it)
   * @param committedAtMillis when that version was committed (its commit file's modification time,
   *     the clock vacuum's retention is measured on); empty when the commit file is gone
   */
  record Lagging(String reader, long version, Optional<Long> committedAtMillis) {}

  /** The reader of {@code source} furthest behind, if one is behind at all. */
  static Optional<Lagging> oldestBehind(String lakeRoot, TableDef source) throws IOException {
    String location = source.location(lakeRoot);
    long latest = DeltaTable.at(location).latestVersion();
    String reader = null;
    long oldest = latest;
    for (TableDef target : TableCatalog.all()) {
      DeltaTable table = DeltaTable.at(target.location(lakeRoot));
      if (target.equals(source) || !table.exists()) {
        continue;
      }
      long consumed = table.txnVersion(target.id() + ":" + source.id());
      if (consumed >= 0 && consumed < oldest) {
        oldest = consumed;
        reader = target.id();
      }
    }
    if (reader == null) {
      return Optional.empty();
    }
    return Optional.of(new Lagging(reader, oldest, commitTime(location, oldest)));
  }

  private static Optional<Long> commitTime(String location, long version) throws IOException {
    Path commit = new Path(location, String.format("_delta_log/%020d.json", version));
    try {
      return Optional.of(
          commit.getFileSystem(new Configuration()).getFileStatus(commit).getModificationTime());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }
}
