package dev.ticklake.transforms.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.exceptions.ConcurrentAppendException;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PartitionValuesIn} inside delta-standalone's own file listing and conflict detection, on a
 * real Delta log (the files of this log are never read, so they are not written).
 */
class PartitionValuesInTest {
  private static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            new StructField("symbol", new StringType(), true),
            new StructField("trade_date", new DateType(), true),
            new StructField("price", new DoubleType(), true)
          });
  private static final List<String> PARTITION_COLUMNS = List.of("symbol", "trade_date");

  @TempDir Path dir;

  @Test
  void marksExactlyTheFilesOfTheListedPartitionsNullsIncluded() throws Exception {
    DeltaLog log = table();
    commit(log, file("a1", "AAPL", "2026-01-01"), file("a2", "AAPL", "2026-01-02"));
    commit(log, file("b1", "MSFT", "2026-01-01"), file("n1", null, "2026-01-01"));

    OptimisticTransaction txn = log.startTransaction();
    List<String> read =
        paths(
            txn,
            PartitionValuesIn.of(
                SCHEMA,
                PARTITION_COLUMNS,
                List.of(partition("AAPL", "2026-01-01"), partition(null, "2026-01-01"))));

    assertThat(read).containsExactlyInAnyOrder("a1.parquet", "n1.parquet");
  }

  @Test
  void aHundredThousandPartitionsStayFlat() throws Exception {
    DeltaLog log = table();
    commit(log, file("a1", "AAPL", "2000-01-03"), file("z1", "ZZZ", "2000-01-03"));
    List<Map<String, String>> partitions = daysOf("AAPL", LocalDate.of(1800, 1, 1), 100_000);

    PartitionValuesIn predicate = PartitionValuesIn.of(SCHEMA, PARTITION_COLUMNS, partitions);

    assertThat(predicate.size()).isEqualTo(100_000);
    assertThat(predicate.children()).hasSize(2);
    assertThat(predicate.references()).containsExactlyInAnyOrder("symbol", "trade_date");
    assertThat(predicate.toString())
        .isEqualTo("(symbol, trade_date) IN 100000 partition value tuples");
    assertThat(paths(log.startTransaction(), predicate)).containsExactly("a1.parquet");
  }

  @Test
  void aConcurrentAppendToAListedPartitionConflicts() throws Exception {
    DeltaLog log = table();
    commit(log, file("a1", "AAPL", "2026-01-01"));
    OptimisticTransaction txn = log.startTransaction();
    paths(
        txn,
        PartitionValuesIn.of(
            SCHEMA, PARTITION_COLUMNS, daysOf("AAPL", LocalDate.of(2000, 1, 1), 10_000)));

    commit(log, file("late", "AAPL", "2026-01-01"));

    assertThatThrownBy(() -> txn.commit(List.of(file("mine", "AAPL", "2026-01-01")), op(), "test"))
        .isInstanceOf(ConcurrentAppendException.class);
  }

  @Test
  void aConcurrentAppendElsewhereDoesNotConflict() throws Exception {
    DeltaLog log = table();
    commit(log, file("a1", "AAPL", "2026-01-01"));
    OptimisticTransaction txn = log.startTransaction();
    paths(
        txn,
        PartitionValuesIn.of(
            SCHEMA, PARTITION_COLUMNS, daysOf("AAPL", LocalDate.of(2000, 1, 1), 10_000)));

    // Another symbol on a listed day, and the listed symbol on a day after the listed range.
    commit(log, file("other", "MSFT", "2026-01-01"), file("later", "AAPL", "2030-01-01"));

    assertThat(txn.commit(List.of(file("mine", "AAPL", "2026-01-01")), op(), "test").getVersion())
        .isEqualTo(3);
  }

  @Test
  void needsAPartitionColumn() {
    assertThatThrownBy(() -> PartitionValuesIn.of(SCHEMA, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one column");
  }

  private DeltaLog table() {
    DeltaLog log = DeltaLog.forTable(new Configuration(), dir.resolve("t").toString());
    OptimisticTransaction txn = log.startTransaction();
    txn.updateMetadata(
        Metadata.builder().schema(SCHEMA).partitionColumns(PARTITION_COLUMNS).build());
    txn.commit(List.of(), op(), "test");
    return log;
  }

  private static void commit(DeltaLog log, AddFile... files) {
    log.startTransaction().commit(List.of(files), op(), "test");
  }

  private static List<String> paths(OptimisticTransaction txn, PartitionValuesIn predicate)
      throws Exception {
    List<String> paths = new ArrayList<>();
    try (CloseableIterator<AddFile> it = txn.markFilesAsRead(predicate).getFiles()) {
      it.forEachRemaining(f -> paths.add(f.getPath()));
    }
    return paths;
  }

  private static List<Map<String, String>> daysOf(String symbol, LocalDate first, int days) {
    List<Map<String, String>> partitions = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      partitions.add(partition(symbol, first.plusDays(d).toString()));
    }
    return partitions;
  }

  private static Map<String, String> partition(String symbol, String day) {
    Map<String, String> p = new HashMap<>();
    p.put("symbol", symbol);
    p.put("trade_date", day);
    return p;
  }

  private static AddFile file(String name, String symbol, String day) {
    return new AddFile(name + ".parquet", partition(symbol, day), 1, 1, true, null, null);
  }

  private static Operation op() {
    return new Operation(Operation.Name.WRITE);
  }
}
