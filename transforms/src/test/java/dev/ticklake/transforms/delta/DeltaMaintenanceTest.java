package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.testing.KernelTableReader;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class DeltaMaintenanceTest {
  @TempDir Path dir;

  private String table() {
    return dir.resolve("gold/bars_1m").toString();
  }

  private List<GenericRecord> fiveSmallBatches() {
    List<GenericRecord> all = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      List<GenericRecord> batch = CrashSafetyIT.batch(b * 40, 40);
      TickTables.write(batch, TickTables.append(table()));
      all.addAll(batch);
    }
    return all;
  }

  @Test
  void compactionRewritesSmallFilesWithoutChangingRowsForAnyReader() throws Exception {
    List<GenericRecord> rows = fiveSmallBatches();
    int filesBefore = DeltaTable.at(table()).filesAt(-1).size();
    long versionBefore = DeltaTable.at(table()).latestVersion();
    List<Map<String, Object>> kernelBefore =
        TickTables.sorted(KernelTableReader.of(table()).readLatest());

    DeltaMaintenance.CompactionResult result = DeltaMaintenance.of(table()).compact(64L << 20);

    assertThat(result.version()).isEqualTo(versionBefore + 1);
    assertThat(result.filesRemoved()).isEqualTo(filesBefore);
    assertThat(result.filesAdded()).isEqualTo(2); // one per trade_date partition
    assertThat(result.rows()).isEqualTo(rows.size());
    assertThat(DeltaTable.at(table()).filesAt(-1)).hasSize(2);
    assertThat(TickTables.sorted(KernelTableReader.of(table()).readLatest()))
        .isEqualTo(kernelBefore)
        .isEqualTo(TickTables.maps(rows));
    // dataChange=false: incremental readers do not see the rewritten rows again.
    assertThat(
            TickTables.read(
                DeltaIO.read().from(table()).changesBetween(versionBefore, result.version())))
        .isEmpty();
    // A second compaction has nothing to do.
    assertThat(DeltaMaintenance.of(table()).compact(64L << 20).filesAdded()).isZero();
  }

  @Test
  void kernelSkipsFilesByOurStatsAndFindsEveryMatchingRow() {
    TickTables.write(
        List.of(TickTables.tick("AAPL", "2026-11-18T15:00:00Z", 10, 1, null)),
        TickTables.append(table()));
    TickTables.write(
        List.of(TickTables.tick("AAPL", "2026-11-18T16:00:00Z", 20, 1, null)),
        TickTables.append(table()));
    KernelTableReader kernel = KernelTableReader.of(table());
    assertThat(
            kernel.dataFilesMatching(
                new Predicate(">", new Column("price"), Literal.ofDouble(15.0))))
        .hasSize(1);
    assertThat(
            kernel.dataFilesMatching(
                new Predicate(">", new Column("price"), Literal.ofDouble(25.0))))
        .isEmpty();
    assertThat(
            kernel.dataFilesMatching(
                new Predicate("=", new Column("symbol"), Literal.ofString("AAPL"))))
        .hasSize(2);
    assertThat(
            kernel.dataFilesMatching(
                new Predicate("=", new Column("symbol"), Literal.ofString("ZZZ"))))
        .isEmpty();
  }

  @Test
  void vacuumRefusesRetentionBelowOneHourWithoutOverride() {
    TickTables.write(TickTables.generate(5, 1), TickTables.append(table()));
    assertThatThrownBy(
            () -> DeltaMaintenance.of(table()).vacuum(Duration.ofMinutes(59), false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below the 1 hour minimum")
        .hasMessageContaining("allowShortRetention");
  }

  @Test
  void vacuumDeletesOnlyUnreferencedFilesOlderThanRetention() throws Exception {
    List<GenericRecord> rows = fiveSmallBatches();
    DeltaMaintenance.of(table()).compact(64L << 20);
    // An orphan from a writer that died before its commit.
    Path orphan = Path.of(table(), "trade_date=2026-11-18", "part-orphan.c000.snappy.parquet");
    Files.copy(firstDataFile(), orphan);
    long onDisk = dataFilesOnDisk();

    // Default retention: everything is younger than 7 days, nothing goes.
    assertThat(DeltaMaintenance.of(table()).vacuum(false).files()).isEmpty();

    DeltaMaintenance.VacuumResult dry =
        DeltaMaintenance.of(table()).vacuum(Duration.ZERO, true, true);
    assertThat(dry.files())
        .hasSize((int) onDisk - 2)
        .contains("trade_date=2026-11-18/part-orphan.c000.snappy.parquet");
    assertThat(dataFilesOnDisk()).isEqualTo(onDisk);

    DeltaMaintenance.VacuumResult done =
        DeltaMaintenance.of(table()).vacuum(Duration.ZERO, false, true);
    assertThat(done.files()).isEqualTo(dry.files());
    assertThat(dataFilesOnDisk()).isEqualTo(2);
    assertThat(TickTables.sorted(KernelTableReader.of(table()).readLatest()))
        .isEqualTo(TickTables.maps(rows));
  }

  private Path firstDataFile() throws Exception {
    try (Stream<Path> s = Files.walk(Path.of(table()))) {
      return s.filter(
              p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .findFirst()
          .orElseThrow();
    }
  }

  private long dataFilesOnDisk() throws Exception {
    try (Stream<Path> s = Files.walk(Path.of(table()))) {
      return s.filter(
              p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .count();
    }
  }
}
