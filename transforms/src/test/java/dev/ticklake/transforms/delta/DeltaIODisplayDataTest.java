package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.WriteMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.junit.jupiter.api.Test;

class DeltaIODisplayDataTest {
  private static final DeltaTableSpec SPEC =
      DeltaTableSpec.at("/lake/silver/ticks")
          .withSchema(TickTables.SCHEMA)
          .withPartitionColumns(TickTables.PARTITIONS)
          .withKeyColumns(TickTables.KEYS)
          .withWriteMode(WriteMode.UPSERT);

  private static Map<String, Object> items(HasDisplayData component) {
    return DisplayData.from(component).items().stream()
        .collect(Collectors.toMap(DisplayData.Item::getKey, DisplayData.Item::getValue));
  }

  @Test
  void writeShowsTablePathModeColumnsAndAppIds() {
    assertThat(items(DeltaIO.write().to(SPEC).withTransaction("silver/ticks:bronze/ticks", 3)))
        .containsEntry("table", "silver/ticks")
        .containsEntry("location", "/lake/silver/ticks")
        .containsEntry("mode", "UPSERT")
        .containsEntry("partitionColumns", "trade_date")
        .containsEntry("keyColumns", "symbol,ts")
        .containsEntry("appIds", "silver/ticks:bronze/ticks");
  }

  @Test
  void commitInOrderShowsEachCommitInOrder() {
    DeltaWrite quarantine =
        DeltaIO.write()
            .to(DeltaTableSpec.at("/lake/silver/quarantine").withSchema(TickTables.SCHEMA))
            .withTransaction("q", 1);
    DeltaWrite ticks = DeltaIO.write().to(SPEC).withBaseVersion(4).withTransaction("t", 1);
    assertThat(items(DeltaIO.commitInOrder(List.of(quarantine, ticks))))
        .containsEntry(
            "commit1", "silver/quarantine (APPEND at /lake/silver/quarantine, app ids [q])")
        .containsEntry("commit2", "silver/ticks (UPSERT at /lake/silver/ticks, app ids [t])");
  }

  @Test
  void readsShowTheirTable() {
    assertThat(items(DeltaIO.read().from(SPEC).changesBetween(1, 2)))
        .containsEntry("table", "silver/ticks")
        .containsEntry("location", "/lake/silver/ticks");
    assertThat(items(DeltaIO.readPartitions().from(SPEC).atVersion(5)))
        .containsEntry("partitionColumns", "trade_date")
        .containsEntry("version", "5");
  }
}
