package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.MemoryBackedTempDir;
import dev.ticklake.transforms.delta.internal.CommitSpec;
import dev.ticklake.transforms.delta.internal.DeltaCommitter;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.kernel.expressions.AlwaysTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that spans 100,000 partitions commits (upsert and partition replacement) and reads back
 * exactly with Delta Kernel: conflict predicates stay flat at any partition count (issue 14).
 *
 * <p>A real Parquet file per partition would make this test minutes long; every partition's file is
 * instead a hard link to one small Parquet file per batch (partition values live in the log, not in
 * the file), so each file is still a distinct, readable data file.
 */
class ManyPartitionsCommitIT {
  private static final int PARTITIONS = 100_000;
  private static final LocalDate FIRST_DAY = LocalDate.of(1800, 1, 1);
  private static final Schema SCHEMA =
      SchemaBuilder.record("DailyClose")
          .namespace("dev.ticklake.test")
          .fields()
          .requiredString("symbol")
          .requiredDouble("close")
          .name("trade_date")
          .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
          .noDefault()
          .endRecord();
  private static final TableLayout LAYOUT =
      new TableLayout(SCHEMA, List.of("trade_date"), List.of("symbol", "trade_date"));

  @TempDir(factory = MemoryBackedTempDir.class)
  Path dir;

  @Test
  void upsertAndReplaceOfAHundredThousandPartitionsCommitAndReadBackExactly() throws Exception {
    String table = dir.resolve("gold/bars_1d").toString();

    List<DataFileAction> first = linkedFiles(table, "v1", 1.0);
    assertThat(committer(table, WriteMode.UPSERT).commit(first, -1).status())
        .isEqualTo(CommitOutcome.Status.COMMITTED);

    // Upsert: every partition's file is rewritten (its old file removed, a new one added).
    List<DataFileAction> second = new ArrayList<>(linkedFiles(table, "v2", 2.0));
    for (DataFileAction old : first) {
      second.add(
          DataFileAction.remove(
              old.path(), old.partitionValues(), old.sizeBytes(), old.numRecords()));
    }
    CommitOutcome upsert = committer(table, WriteMode.UPSERT).commit(second, 0);
    assertThat(upsert.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(upsert.filesAdded()).isEqualTo(PARTITIONS);
    assertThat(upsert.filesRemoved()).isEqualTo(PARTITIONS);
    // Kernel's list of live files: exactly the new ones (each holds the row (AAPL, 2.0)). Rows are
    // read back after the replacement: one read of 100,000 files is enough for the test's time.
    assertThat(liveFileNames(table)).isEqualTo(fileNames("v2"));

    // Replacement: the committer itself finds and removes every current file of the partitions.
    CommitOutcome replace =
        committer(table, WriteMode.REPLACE_PARTITIONS).commit(linkedFiles(table, "v3", 3.0), 1);
    assertThat(replace.status()).isEqualTo(CommitOutcome.Status.COMMITTED);
    assertThat(replace.filesRemoved()).isEqualTo(PARTITIONS);
    assertThat(readBack(table)).isEqualTo(expected(3.0));
    assertThat(KernelTableReader.of(table).latestVersion()).isEqualTo(2);
  }

  private static DeltaCommitter committer(String table, WriteMode mode) {
    return new DeltaCommitter(
        new CommitSpec(
            table, "gold/bars_1d", Map.of(), mode, LAYOUT, false, Map.of(), Map.of(), 3, 1));
  }

  /**
   * One file per partition, each a copy of one Parquet file holding the row (AAPL, close), all in
   * one directory (Delta takes partition values from the log, not from the path).
   */
  private List<DataFileAction> linkedFiles(String table, String tag, double close)
      throws Exception {
    GenericRecord row = new GenericData.Record(SCHEMA);
    row.put("symbol", "AAPL");
    row.put("close", close);
    row.put("trade_date", 0);
    DataFileAction template;
    try (ParquetDataFiles.Writer w =
        ParquetDataFiles.open(
            new Configuration(),
            dir.resolve("templates").toString(),
            LAYOUT,
            Map.of("trade_date", "1970-01-01"),
            1 << 20)) {
      w.write(row);
      template = w.finish();
    }
    byte[] bytes = Files.readAllBytes(dir.resolve("templates").resolve(template.path()));
    Path data = Files.createDirectories(Path.of(table).resolve("data"));
    List<DataFileAction> files = new ArrayList<>(PARTITIONS);
    for (int d = 0; d < PARTITIONS; d++) {
      String day = FIRST_DAY.plusDays(d).toString();
      String relative = "data/" + tag + "-" + d + ".parquet";
      Files.write(data.resolve(tag + "-" + d + ".parquet"), bytes);
      files.add(
          DataFileAction.add(
              relative,
              Map.of("trade_date", day),
              template.sizeBytes(),
              template.numRecords(),
              template.statsJson()));
    }
    return files;
  }

  private static Set<String> liveFileNames(String table) {
    Set<String> names = new HashSet<>();
    for (String path : KernelTableReader.of(table).dataFilesMatching(AlwaysTrue.ALWAYS_TRUE)) {
      names.add(path.substring(path.lastIndexOf('/') + 1));
    }
    return names;
  }

  private static Set<String> fileNames(String tag) {
    Set<String> names = new HashSet<>();
    for (int d = 0; d < PARTITIONS; d++) {
      names.add(tag + "-" + d + ".parquet");
    }
    return names;
  }

  private static List<Map<String, Object>> readBack(String table) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> r : KernelTableReader.of(table).readLatest()) {
      rows.add(normalise(r));
    }
    rows.sort((a, b) -> ((String) a.get("trade_date")).compareTo((String) b.get("trade_date")));
    return rows;
  }

  private static List<Map<String, Object>> expected(double close) {
    List<Map<String, Object>> rows = new ArrayList<>(PARTITIONS);
    for (int d = 0; d < PARTITIONS; d++) {
      Map<String, Object> r = new HashMap<>();
      r.put("symbol", "AAPL");
      r.put("close", close);
      r.put("trade_date", FIRST_DAY.plusDays(d).toString());
      rows.add(r);
    }
    return rows;
  }

  private static Map<String, Object> normalise(Map<String, Object> row) {
    Map<String, Object> r = new HashMap<>(row);
    r.put("trade_date", String.valueOf(row.get("trade_date")));
    return r;
  }
}
