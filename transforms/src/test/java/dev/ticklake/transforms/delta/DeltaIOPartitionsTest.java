package dev.ticklake.transforms.delta;

import static dev.ticklake.transforms.delta.TickTables.append;
import static dev.ticklake.transforms.delta.TickTables.maps;
import static dev.ticklake.transforms.delta.TickTables.read;
import static dev.ticklake.transforms.delta.TickTables.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.Layer;
import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.AvroRows;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition pruning on reads, and replacing partitions the batch has no rows for. */
@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class DeltaIOPartitionsTest {
  @TempDir Path dir;

  private static final List<GenericRecord> ROWS = TickTables.generate(300, 3);

  private static List<GenericRecord> onDate(String date) {
    return ROWS.stream().filter(r -> dateOf(r).equals(date)).toList();
  }

  private static String dateOf(GenericRecord r) {
    return AvroRows.toMap(r).get("trade_date").toString();
  }

  @Test
  void partitionFilterReadsOnlyTheAcceptedPartitionsOfSnapshotsAndChanges() {
    String table = dir.resolve("silver/ticks").toString();
    write(ROWS, append(table));
    write(onDate("2026-11-20"), append(table));

    assertThat(
            read(
                DeltaIO.read()
                    .from(table)
                    .withSchema(TickTables.SCHEMA)
                    .withPartitionFilter(p -> p.get("trade_date").equals("2026-11-19"))))
        .containsExactlyElementsOf(maps(onDate("2026-11-19")));
    assertThat(
            read(
                DeltaIO.read()
                    .from(table)
                    .withSchema(TickTables.SCHEMA)
                    .changesBetween(0, 1)
                    .withPartitionFilter(p -> !p.get("trade_date").equals("2026-11-20"))))
        .isEmpty();
  }

  @Test
  void readPartitionsReadsTheFilesOfTheNamedPartitionsOnce() {
    TableDef def =
        new TableDef(
            "gold/test_ticks",
            Layer.GOLD,
            "gold/test_ticks",
            TickTables.SCHEMA,
            List.of("symbol", "trade_date"),
            List.of(),
            WriteMode.APPEND,
            List.of(),
            "test");
    String root = dir.toString();
    String table = def.location(root);
    write(ROWS, append(table).withPartitionColumns(def.partitionColumns()));
    long version = DeltaTable.at(table).latestVersion();

    List<Map<String, String>> specs =
        List.of(
            Map.of("symbol", "AAPL"),
            Map.of("symbol", "AAPL", "trade_date", "2026-11-18"), // overlaps the first
            Map.of("symbol", "MSFT", "trade_date", "2026-11-19"));
    List<GenericRecord> expected =
        ROWS.stream()
            .filter(
                r ->
                    r.get("symbol").toString().equals("AAPL")
                        || (r.get("symbol").toString().equals("MSFT")
                            && dateOf(r).equals("2026-11-19")))
            .toList();
    assertThat(readPartitions(def, root, specs, version)).isEqualTo(maps(expected));
    assertThat(readPartitions(def, root, specs, -1)).isEmpty();
    assertThat(readPartitions(def, root, List.of(), version)).isEmpty();

    TableDef missing =
        new TableDef(
            "gold/none",
            Layer.GOLD,
            "gold/none",
            TickTables.SCHEMA,
            def.partitionColumns(),
            List.of(),
            WriteMode.APPEND,
            List.of(),
            "never written");
    assertThat(readPartitions(missing, root, specs, Long.MIN_VALUE)).isEmpty();
  }

  private static List<Map<String, Object>> readPartitions(
      TableDef def, String root, List<Map<String, String>> specs, long version) {
    Pipeline p = Runners.direct();
    ReadPartitions read = DeltaIO.readPartitions().from(CatalogTables.spec(def, root));
    if (version != Long.MIN_VALUE) {
      read = read.atVersion(version);
    }
    Collected<GenericRecord> rows = Collected.into();
    p.apply(Create.of(specs).withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(read)
        .apply(rows);
    p.run().waitUntilFinish();
    return TickTables.sorted(AvroRows.toMaps(rows.elements()));
  }

  @Test
  void partitionsToReplaceAreEmptiedEvenWithoutRowsAndOthersKeepTheirFiles() {
    String table = dir.resolve("gold/daily").toString();
    write(ROWS, append(table));
    Set<String> filesOf18 = pathsOf(table, "2026-11-18");

    List<GenericRecord> newRowsOf20 = onDate("2026-11-20").subList(0, 5);
    Pipeline p = Runners.direct();
    PCollectionView<List<Map<String, String>>> alsoReplaced =
        p.apply(
                "Extra",
                Create.of(List.of(Map.of("trade_date", "2026-11-19")))
                    .withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
            .apply(View.asList());
    CommitOutcome outcome =
        write(
            p,
            newRowsOf20,
            append(table)
                .withMode(WriteMode.REPLACE_PARTITIONS)
                .withPartitionsToReplace(alsoReplaced)
                .withTransaction("gold/daily:silver/ticks", 7));

    assertThat(outcome.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    List<GenericRecord> expected = new ArrayList<>(onDate("2026-11-18"));
    expected.addAll(newRowsOf20);
    assertThat(TickTables.sorted(KernelTableReader.of(table).readLatest()))
        .isEqualTo(maps(expected));
    assertThat(pathsOf(table, "2026-11-18")).isEqualTo(filesOf18);
    assertThat(pathsOf(table, "2026-11-19")).isEmpty();
  }

  @Test
  void aPartitionToReplaceMustNameExactlyThePartitionColumns() {
    String table = dir.resolve("gold/daily").toString();
    write(ROWS, append(table));
    Pipeline p = Runners.direct();
    PCollectionView<List<Map<String, String>>> wrong =
        p.apply(
                "Extra",
                Create.of(List.of(Map.of("symbol", "AAPL")))
                    .withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
            .apply(View.asList());
    p.apply(Create.empty(AvroCoder.of(TickTables.SCHEMA)))
        .apply(append(table).withMode(WriteMode.REPLACE_PARTITIONS).withPartitionsToReplace(wrong));
    assertThatThrownBy(() -> p.run().waitUntilFinish())
        .hasMessageContaining("does not name exactly the partition columns [trade_date]");
    Pipeline appending = Runners.direct();
    PCollectionView<List<Map<String, String>>> any =
        appending
            .apply(
                "Extra",
                Create.of(List.<Map<String, String>>of())
                    .withCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
            .apply(View.asList());
    assertThatThrownBy(
            () ->
                appending
                    .apply(Create.empty(AvroCoder.of(TickTables.SCHEMA)))
                    .apply(append(table).withPartitionsToReplace(any)))
        .hasMessageContaining("withPartitionsToReplace() needs REPLACE_PARTITIONS");
  }

  private static Set<String> pathsOf(String table, String date) {
    return DeltaTable.at(table).filesAt(-1).stream()
        .filter(f -> f.getPartitionValues().get("trade_date").equals(date))
        .map(AddFile::getPath)
        .collect(Collectors.toSet());
  }
}
