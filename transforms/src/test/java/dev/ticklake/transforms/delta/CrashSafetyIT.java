package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.KilledChild;
import dev.ticklake.transforms.util.FaultPoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed with SIGKILL before or right after its commit, then the same batch re-run:
 * exactly one copy of every row is visible (checked with Delta Kernel).
 */
@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class CrashSafetyIT {
  static final String APP_ID = "crash-test:source";
  private static final int N = 300;

  @TempDir Path dir;

  static List<GenericRecord> batch(int from, int count) {
    List<GenericRecord> all = TickTables.generate(from + count, 2);
    return new ArrayList<>(all.subList(from, from + count));
  }

  /** The table's location; a subclass runs the same tests on another file system. */
  String table() {
    return dir.resolve("bronze/ticks").toString();
  }

  @Test
  void killedAfterFilesBeforeCommitThenRerunGivesExactlyOneCopy() throws Exception {
    TickTables.write(batch(0, N), TickTables.append(table()).withTransaction(APP_ID, 1));

    killChildAt(FaultPoints.BEFORE_COMMIT, N, N, 2);

    assertThat(DeltaTable.at(table()).latestVersion())
        .as("the killed batch committed nothing")
        .isZero();
    assertThat(parquetFilesOnDisk())
        .as("its files were written, invisible")
        .isGreaterThan(DeltaTable.at(table()).filesAt(-1).size());
    assertThat(KernelTableReader.of(table()).readLatest()).hasSize(N);

    CommitOutcome rerun =
        TickTables.write(batch(N, N), TickTables.append(table()).withTransaction(APP_ID, 2));
    assertThat(rerun.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertExactlyRows(0, 2 * N);
  }

  @Test
  void killedRightAfterCommitThenRerunIsSkipped() throws Exception {
    TickTables.write(batch(0, N), TickTables.append(table()).withTransaction(APP_ID, 1));

    killChildAt(FaultPoints.AFTER_COMMIT, N, N, 2);

    assertThat(DeltaTable.at(table()).latestVersion()).isEqualTo(1);
    CommitOutcome rerun =
        TickTables.write(batch(N, N), TickTables.append(table()).withTransaction(APP_ID, 2));
    assertThat(rerun.status()).isEqualTo(CommitOutcome.Status.SKIPPED);
    assertThat(DeltaTable.at(table()).latestVersion()).isEqualTo(1);
    assertExactlyRows(0, 2 * N);
  }

  private void assertExactlyRows(int from, int count) {
    assertThat(TickTables.sorted(KernelTableReader.of(table()).readLatest()))
        .containsExactlyElementsOf(TickTables.maps(batch(from, count)));
    assertThat(DeltaTable.at(table()).txnVersion(APP_ID)).isEqualTo(2);
  }

  /** Data files present in the table's folder, committed or not (any Hadoop file system). */
  private long parquetFilesOnDisk() throws Exception {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(table());
    RemoteIterator<LocatedFileStatus> files =
        root.getFileSystem(new Configuration()).listFiles(root, true);
    long count = 0;
    while (files.hasNext()) {
      String path = files.next().getPath().toString();
      if (path.endsWith(".parquet") && !path.contains("_delta_log")) {
        count++;
      }
    }
    return count;
  }

  /** Starts the batch in a child JVM paused at {@code point}, then SIGKILLs it there. */
  private void killChildAt(String point, int from, int count, long version) throws Exception {
    KilledChild.killAt(
        point,
        dir,
        DeltaWriteChild.class,
        table(),
        Integer.toString(from),
        Integer.toString(count),
        Long.toString(version));
  }
}
