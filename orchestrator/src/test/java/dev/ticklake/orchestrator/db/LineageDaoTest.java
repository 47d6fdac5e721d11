package dev.ticklake.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.core.lineage.Dataset;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.db.LineageDao.TryKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class LineageDaoTest extends DatabaseTest {

  private static final Dataset TOPIC = new Dataset("kafka://127.0.0.1:9092", "market.ticks");
  private static final Dataset BRONZE = new Dataset("file", "/lake/bronze/ticks");
  private static final Dataset SILVER = new Dataset("file", "/lake/silver/ticks");

  private LineageDao dao;

  LineageDaoTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void dao() {
    dao = new LineageDao(jdbi);
  }

  private static TaskLineage ingest(long from0, long to0, long from1, long to1, long bronze) {
    return new TaskLineage(
        List.of(
            DatasetVersion.kafkaOffsets(TOPIC, 0, from0, to0),
            DatasetVersion.kafkaOffsets(TOPIC, 1, from1, to1)),
        List.of(DatasetVersion.snapshot(BRONZE, bronze)));
  }

  @Test
  void recordsATryOnceAndReadsItBack() {
    TryKey key = new TryKey("medallion", "run-1", "ingest_bronze", 1);
    assertThat(dao.record(key, "COMMITTED", "ol-1", ingest(0, 5, 0, 7, 0), T0)).isTrue();
    assertThat(dao.record(key, "COMMITTED", "ol-1", ingest(9, 9, 9, 9, 9), T0.plusSeconds(1)))
        .as("second record of the same try")
        .isFalse();

    LineageDao.TryRecord r = dao.find(key).orElseThrow();
    assertThat(r.outcome()).isEqualTo("COMMITTED");
    assertThat(r.olRunId()).isEqualTo("ol-1");
    assertThat(r.recordedAt()).isEqualTo(T0);
    assertThat(r.lineage().inputs())
        .containsExactly(
            new DatasetVersion(TOPIC, "0:[0,5)"), new DatasetVersion(TOPIC, "1:[0,7)"));
    assertThat(r.lineage().outputs()).containsExactly(new DatasetVersion(BRONZE, "0"));
    assertThat(dao.find(new TryKey("medallion", "run-1", "ingest_bronze", 2))).isEmpty();
  }

  @Test
  void findsTheProducerOfATableVersion() {
    dao.record(
        new TryKey("medallion", "run-1", "ingest_bronze", 1),
        "COMMITTED",
        "a",
        ingest(0, 5, 0, 7, 0),
        T0);
    dao.record(
        new TryKey("medallion", "run-2", "ingest_bronze", 2),
        "COMMITTED",
        "b",
        ingest(5, 6, 7, 9, 1),
        T0.plusSeconds(5));
    dao.record(
        new TryKey("medallion", "run-2", "refine_silver", 1),
        "COMMITTED",
        "c",
        new TaskLineage(
            List.of(DatasetVersion.changes(BRONZE, 0, 1)),
            List.of(DatasetVersion.snapshot(SILVER, 3))),
        T0.plusSeconds(6));

    LineageDao.TryRecord p = dao.producer(BRONZE, "1").orElseThrow();
    assertThat(p.key()).isEqualTo(new TryKey("medallion", "run-2", "ingest_bronze", 2));
    assertThat(dao.producer(SILVER, "3").orElseThrow().key().taskId()).isEqualTo("refine_silver");
    assertThat(dao.producer(BRONZE, "2")).isEmpty();
    assertThat(dao.producer(SILVER, "(0,1]")).as("reads are not productions").isEmpty();
  }

  @Test
  void keepsOneEdgePerJobAndDatasetAndListsTriesOfARun() {
    dao.record(
        new TryKey("medallion", "run-1", "ingest_bronze", 1),
        "COMMITTED",
        "a",
        ingest(0, 5, 0, 7, 0),
        T0);
    dao.record(
        new TryKey("medallion", "run-2", "ingest_bronze", 1),
        "COMMITTED",
        "b",
        ingest(5, 6, 7, 9, 1),
        T0);
    dao.record(
        new TryKey("medallion", "run-2", "refine_silver", 1),
        "NOTHING_NEW",
        "c",
        new TaskLineage(List.of(new DatasetVersion(BRONZE, "(1,1]")), List.of()),
        T0.plusSeconds(1));

    assertThat(dao.edges())
        .containsExactly(
            new LineageDao.Edge("medallion", "ingest_bronze", true, TOPIC),
            new LineageDao.Edge("medallion", "ingest_bronze", false, BRONZE),
            new LineageDao.Edge("medallion", "refine_silver", true, BRONZE));

    List<LineageDao.TryRecord> run2 = dao.listByRun("run-2", Optional.empty());
    assertThat(run2)
        .extracting(r -> r.key().taskId() + ":" + r.outcome())
        .containsExactly("ingest_bronze:COMMITTED", "refine_silver:NOTHING_NEW");
    assertThat(run2.get(1).lineage().outputs()).as("wrote nothing").isEmpty();
    assertThat(dao.listByRun("run-2", Optional.of("refine_silver"))).hasSize(1);
    assertThat(dao.listByRun("run-3", Optional.empty())).isEmpty();
  }
}
