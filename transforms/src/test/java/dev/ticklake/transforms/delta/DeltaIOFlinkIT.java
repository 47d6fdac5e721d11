package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.Runners;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeltaIO on FlinkRunner {@code [local]}: writes, then an incremental hop into a second table. */
@org.junit.jupiter.api.extension.ExtendWith(KernelAgreement.class)
class DeltaIOFlinkIT {
  @TempDir Path dir;

  @Test
  void writeThenIncrementalReadOnFlinkLocal() {
    String source = dir.resolve("bronze/ticks").toString();
    String target = dir.resolve("silver/ticks").toString();
    List<GenericRecord> first = CrashSafetyIT.batch(0, 400);
    List<GenericRecord> second = CrashSafetyIT.batch(400, 100);

    assertThat(TickTables.write(Runners.flinkLocal(), first, TickTables.append(source)).status())
        .isEqualTo(CommitOutcome.Status.COMMITTED);
    TickTables.write(
        Runners.flinkLocal(), second, TickTables.append(source).withTransaction("feed", 2));
    assertThat(KernelTableReader.of(source).latestVersion()).isEqualTo(1);

    // The hop: rows added in (0, 1] upserted into the target, with the source version consumed.
    Pipeline hop = Runners.flinkLocal();
    hop.apply(DeltaIO.read().from(source).withSchema(TickTables.SCHEMA).changesBetween(0, 1))
        .apply(
            TickTables.append(target)
                .withMode(WriteMode.UPSERT)
                .withKeyColumns(TickTables.KEYS)
                .withTransaction("silver/ticks:bronze/ticks", 1));
    hop.run().waitUntilFinish();

    assertThat(TickTables.sorted(KernelTableReader.of(target).readLatest()))
        .isEqualTo(TickTables.maps(second));
    assertThat(DeltaTable.at(target).txnVersion("silver/ticks:bronze/ticks")).isEqualTo(1);

    // The first snapshot hop on Flink too: everything, exactly once.
    Pipeline all = Runners.flinkLocal();
    String copy = dir.resolve("silver/copy").toString();
    all.apply(DeltaIO.read().from(source).withSchema(TickTables.SCHEMA).changesBetween(-1, 1))
        .apply(TickTables.append(copy));
    all.run().waitUntilFinish();
    List<GenericRecord> both = new ArrayList<>(first);
    both.addAll(second);
    assertThat(TickTables.sorted(KernelTableReader.of(copy).readLatest()))
        .isEqualTo(TickTables.maps(both));
  }
}
