package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.CommitOutcome.Status;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BuildGold on FlinkRunner {@code [local]} writes the same Gold rows as on the DirectRunner. */
class BuildGoldFlinkIT {
  @TempDir Path dir;

  @Test
  void flinkLocalAndDirectRunnerWriteIdenticalGoldRows() {
    List<GenericRecord> silver = GoldLake.generate(11L, List.of("AAPL", "GOOG", "MSFT"), 2);
    GoldLake onFlink = new GoldLake(dir.resolve("flink").toString());
    GoldLake onDirect = new GoldLake(dir.resolve("direct").toString());
    onFlink.writeSilver(silver);
    onDirect.writeSilver(silver);

    assertThat(onFlink.runGold(Runners.flinkLocal()))
        .allSatisfy((t, s) -> assertThat(s).isEqualTo(Status.COMMITTED));
    onDirect.runGold();

    for (var table : GoldLake.GOLD) {
      assertThat(onFlink.rows(table)).as(table.id()).isEqualTo(onDirect.rows(table));
      assertThat(onFlink.rows(table)).as(table.id()).isNotEmpty();
    }
  }
}
