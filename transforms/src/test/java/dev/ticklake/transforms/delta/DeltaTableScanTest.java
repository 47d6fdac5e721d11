package dev.ticklake.transforms.delta;

import static dev.ticklake.transforms.delta.TickTables.maps;
import static dev.ticklake.transforms.delta.TickTables.read;
import static dev.ticklake.transforms.delta.TickTables.tick;
import static dev.ticklake.transforms.delta.TickTables.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.WriteMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table written and read with a hand-made {@link DeltaTableSpec} (no catalog), read back both
 * through {@link DeltaIO#read()} and through the plain {@link DeltaTable#scan()}.
 */
class DeltaTableScanTest {
  @TempDir Path dir;

  private DeltaTableSpec spec(WriteMode mode) {
    return DeltaTableSpec.at(dir.resolve("gold/ticks").toString())
        .withSchema(TickTables.SCHEMA)
        .withPartitionColumns(TickTables.PARTITIONS)
        .withKeyColumns(TickTables.KEYS)
        .withWriteMode(mode);
  }

  private List<Map<String, Object>> scanned(DeltaScan scan) {
    return maps(scan.rows());
  }

  @Test
  void scanSeesExactlyTheRowsAfterAppendUpsertAndPartitionReplace() {
    GenericRecord a1 = tick("AAPL", "2026-11-19T14:30:00Z", 187.0, 100, null);
    GenericRecord m1 = tick("MSFT", "2026-11-19T14:31:00Z", 410.0, 200, "x");
    GenericRecord a2 = tick("AAPL", "2026-11-20T14:30:00Z", 188.0, 300, null);
    write(List.of(a1, m1, a2), DeltaIO.write().to(spec(WriteMode.APPEND)));
    DeltaTable table = DeltaTable.at(spec(WriteMode.APPEND).location());
    assertThat(scanned(table.scan())).isEqualTo(maps(List.of(a1, m1, a2)));

    // Upsert: a1 changes price, a new row lands on 11-20.
    GenericRecord a1b = tick("AAPL", "2026-11-19T14:30:00Z", 190.0, 100, "fixed");
    GenericRecord m2 = tick("MSFT", "2026-11-20T14:32:00Z", 411.0, 50, null);
    write(List.of(a1b, m2), DeltaIO.write().to(spec(WriteMode.UPSERT)));
    List<GenericRecord> afterUpsert = List.of(a1b, m1, a2, m2);
    assertThat(scanned(table.scan())).isEqualTo(maps(afterUpsert));
    assertThat(read(DeltaIO.read().from(spec(WriteMode.APPEND)))).isEqualTo(maps(afterUpsert));

    // Replace the 11-20 partition with one row; 11-19 stays.
    GenericRecord m3 = tick("MSFT", "2026-11-20T15:00:00Z", 412.0, 10, null);
    write(List.of(m3), DeltaIO.write().to(spec(WriteMode.REPLACE_PARTITIONS)));
    assertThat(scanned(table.scan())).isEqualTo(maps(List.of(a1b, m1, m3)));

    // Partition filter and time travel.
    assertThat(
            scanned(
                table.scan().withPartitionFilter(p -> "2026-11-19".equals(p.get("trade_date")))))
        .isEqualTo(maps(List.of(a1b, m1)));
    assertThat(scanned(table.scan().atVersion(0))).isEqualTo(maps(List.of(a1, m1, a2)));
    assertThat(scanned(table.scan().atVersion(1))).isEqualTo(maps(afterUpsert));
  }

  @Test
  void filesAndRowsPerFileAddUpToTheSnapshot() {
    List<GenericRecord> rows = TickTables.generate(50, 2);
    write(rows, DeltaIO.write().to(spec(WriteMode.APPEND)));
    DeltaScan scan = DeltaTable.at(spec(WriteMode.APPEND).location()).scan();

    List<GenericRecord> perFile = new ArrayList<>();
    long counted = 0;
    for (DeltaScan.ScanFile f : scan.files()) {
      List<GenericRecord> fileRows = scan.rows(f);
      assertThat(fileRows).hasSize((int) f.numRecords());
      counted += f.numRecords();
      perFile.addAll(fileRows);
    }
    assertThat(counted).isEqualTo(50);
    assertThat(maps(perFile)).isEqualTo(maps(rows));
  }

  @Test
  void aTableThatDoesNotExistScansAsEmpty() {
    assertThat(DeltaTable.at(dir.resolve("none").toString()).scan().rows()).isEmpty();
  }

  @Test
  void specWithersRejectInvalidArguments() {
    assertThatThrownBy(() -> DeltaTableSpec.at(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("location");
    assertThatThrownBy(() -> spec(WriteMode.APPEND).withPartitionColumns(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeat");
    assertThatThrownBy(() -> spec(WriteMode.APPEND).withWriteMode(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeltaIO.write().to(spec(WriteMode.APPEND)).withTargetFileSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("withTargetFileSize");
    assertThatThrownBy(() -> DeltaIO.write().withSchema(TickTables.SCHEMA))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("to(spec)");
    assertThat(spec(WriteMode.APPEND).name()).isEqualTo("gold/ticks");
  }
}
