package dev.ticklake.orchestrator.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.ticklake.orchestrator.core.exec.Pipelines;
import dev.ticklake.orchestrator.core.lineage.DatasetNaming;
import dev.ticklake.orchestrator.core.lineage.DatasetVersion;
import dev.ticklake.orchestrator.core.lineage.Lineage;
import dev.ticklake.orchestrator.core.lineage.LineageSettings;
import dev.ticklake.orchestrator.core.lineage.TaskLineage;
import dev.ticklake.orchestrator.core.state.DagRunState;
import dev.ticklake.orchestrator.core.state.TaskState;
import dev.ticklake.orchestrator.db.DagDao;
import dev.ticklake.orchestrator.db.DagRun;
import dev.ticklake.orchestrator.db.LineageDao;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.DeltaTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code maintenance} DAG through the scheduler (real H2, real Delta tables read back
 * with Delta Kernel): compaction, vacuum only past retention, lagging readers, bad options.
 */
class MaintenanceDagTest {
  private static final Comparator<Map<String, Object>> BY_OFFSET =
      Comparator.comparingLong(r -> (Long) r.get("offset"));

  @TempDir Path tmp;
  private SchedulerHarness h;
  private Scheduler scheduler;
  private Lineage lineage;
  private MaintenanceLake lake;

  @BeforeEach
  void start() throws Exception {
    h = new SchedulerHarness(tmp);
    SchedulerSettings s = h.settings().withLoadShippedDags(true);
    lake = new MaintenanceLake(Path.of(s.lakeRoot()));
    scheduler = new Scheduler(h.jdbi, Pipelines.standard(), s, Clock.systemUTC());
    lineage =
        new Lineage(
            LineageSettings.file(tmp.resolve("openlineage.jsonl")),
            h.jdbi,
            new MetricRegistry(),
            Clock.systemUTC());
    scheduler.setTaskLifecycleListener(lineage.listener());
    scheduler.refreshDags();
    new DagDao(h.jdbi).setPaused("maintenance", true); // only the runs the tests trigger
    scheduler.start();
  }

  @AfterEach
  void stop() throws Exception {
    scheduler.stop();
    lineage.stop();
    h.close();
  }

  private DagRun run(String conf) {
    DagRun run = scheduler.trigger("maintenance", conf);
    return h.awaitRunEnd(run.runId(), Duration.ofMinutes(2));
  }

  private String log(DagRun run, String task) {
    return h.logs.find(run.runId(), task, 1).orElseThrow();
  }

  private List<Map<String, Object>> rowsAt(long version) {
    return KernelTableReader.of(lake.bronze()).readAtVersion(version).stream()
        .sorted(BY_OFFSET)
        .toList();
  }

  @Test
  void compactsSmallFilesAndVacuumsThemOnlyPastTheRetention() throws Exception {
    lake.appendBronzeBatches(3, 10); // the DirectRunner writes one or more files per batch
    List<String> smallFiles = lake.bronzeFilesOnDisk();
    int small = smallFiles.size();
    assertThat(small)
        .isGreaterThanOrEqualTo(3)
        .isEqualTo(DeltaTable.at(lake.bronze()).filesAt(2).size());
    List<Map<String, Object>> rows = rowsAt(2);
    assertThat(rows).hasSize(30);
    lake.age(Duration.ofDays(10));

    DagRun first = run("{}");
    assertThat(first.state())
        .as("tasks %s", h.states(first.runId()))
        .isEqualTo(DagRunState.SUCCESS);
    DeltaTable bronze = DeltaTable.at(lake.bronze());
    assertThat(bronze.latestVersion()).isEqualTo(3);
    assertThat(bronze.filesAt(3)).hasSize(1);
    assertThat(rowsAt(3)).isEqualTo(rows);
    // Default retention (7 days): the compaction is new, so version 2 stays readable.
    assertThat(lake.bronzeFilesOnDisk()).hasSize(small + 1).containsAll(smallFiles);
    assertThat(rowsAt(2)).isEqualTo(rows);
    assertThat(log(first, "compact"))
        .contains("bronze/ticks: " + small + " files -> 1 (30 rows), version 2 -> 3");
    assertThat(log(first, "vacuum")).contains("deleted 0 files in 1 tables");
    var bronzeDataset = DatasetNaming.table(lake.root, TableCatalog.BRONZE_TICKS.id());
    assertThat(
            lineage
                .dao()
                .find(new LineageDao.TryKey("maintenance", first.runId(), "compact", 1))
                .orElseThrow()
                .lineage())
        .isEqualTo(
            new TaskLineage(
                List.of(DatasetVersion.snapshot(bronzeDataset, 2)),
                List.of(DatasetVersion.snapshot(bronzeDataset, 3))));

    // Eight days later (the compaction now past the 7-day retention): the small files go.
    lake.age(Duration.ofDays(8));
    DagRun second = run("{}");
    assertThat(second.state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(log(second, "compact")).contains("nothing to compact at version 3");
    assertThat(log(second, "vacuum")).contains("deleted " + small + " files in 1 tables");
    assertThat(lake.bronzeFilesOnDisk()).hasSize(1).doesNotContainAnyElementsOf(smallFiles);
    assertThat(rowsAt(3)).isEqualTo(rows);
  }

  @Test
  void vacuumKeepsTheFilesALaggingReaderHasStillToRead() throws Exception {
    lake.appendBronzeBatches(3, 10);
    int small = lake.bronzeFilesOnDisk().size();
    int unread = DeltaTable.at(lake.bronze()).filesAddedBetween(0, 2).size();
    lake.quarantineConsumedBronzeAt(0); // its next batch reads the files of Bronze's versions 1..2
    assertThat(run("{}").state()).isEqualTo(DagRunState.SUCCESS); // compacts Bronze: version 3
    lake.age(Duration.ofDays(30));

    DagRun lagging = run("{\"params\": {\"retention\": \"2d\"}}");
    assertThat(lagging.state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(log(lagging, "vacuum"))
        .contains("bronze/ticks: 0 files")
        .contains("extended for reader silver/quarantine at version 0");
    assertThat(lake.bronzeFilesOnDisk()).hasSize(small + 1);
    assertThat(DeltaTable.at(lake.bronze()).filesAddedBetween(0, 3)).hasSize(unread);

    lake.quarantineConsumedBronzeAt(3); // the reader caught up
    DagRun caughtUp = run("{\"params\": {\"retention\": \"2d\"}}");
    assertThat(caughtUp.state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(log(caughtUp, "vacuum")).contains("bronze/ticks: " + small + " files");
    assertThat(lake.bronzeFilesOnDisk()).hasSize(1);
    assertThat(rowsAt(3)).hasSize(30);
  }

  @Test
  void aRetentionBelowTheFloorOrNotADurationFailsTheTaskWithoutRetries() throws Exception {
    lake.appendBronzeBatches(2, 3);
    int small = lake.bronzeFilesOnDisk().size();
    DagRun tooShort = run("{\"params\": {\"retention\": \"2h\"}}");
    assertThat(tooShort.state()).isEqualTo(DagRunState.FAILED);
    assertThat(h.states(tooShort.runId()))
        .containsOnly(
            Map.entry("compact", TaskState.SUCCESS), Map.entry("vacuum", TaskState.FAILED));
    assertThat(h.tasks.find(tooShort.runId(), "vacuum").orElseThrow().tryNumber()).isEqualTo(1);
    assertThat(log(tooShort, "vacuum"))
        .contains("--retention=2h is below the 1d floor")
        .contains("--allowShortRetention=true");

    DagRun garbage = run("{\"params\": {\"retention\": \"a week\"}}");
    assertThat(garbage.state()).isEqualTo(DagRunState.FAILED);
    assertThat(log(garbage, "vacuum")).contains("--retention='a week' is not a duration");
    assertThat(lake.bronzeFilesOnDisk()).hasSize(small + 1); // the small files and their compaction
  }
}
