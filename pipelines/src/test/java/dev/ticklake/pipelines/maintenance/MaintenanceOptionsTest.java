package dev.ticklake.pipelines.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance jobs' option errors, before they touch any table. */
class MaintenanceOptionsTest {
  @TempDir Path lake;

  private <T extends MaintenanceOptions> T options(Class<T> type, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--lakeRoot=" + lake;
    System.arraycopy(args, 0, all, 1, args.length);
    return PipelineOptionsFactory.fromArgs(all).withValidation().as(type);
  }

  @Test
  void anUnknownTableIdNamesTheKnownOnes() {
    assertThatThrownBy(
            () ->
                CompactTablesJob.run(
                    options(CompactTablesJob.Options.class, "--tables=silver/ticks,gold/bars")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--tables: unknown table id 'gold/bars' (known: ")
        .hasMessageContaining("gold/bars_1m");
  }

  @Test
  void aTargetFileSizeBelowOneByteIsRefused() {
    assertThatThrownBy(
            () ->
                CompactTablesJob.run(
                    options(CompactTablesJob.Options.class, "--targetFileBytes=0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--targetFileBytes must be at least 1 (got 0); the default is 134217728");
  }

  @Test
  void anEmptyLakeHasNothingToMaintain() throws Exception {
    assertThat(CompactTablesJob.run(options(CompactTablesJob.Options.class)).tables()).isEmpty();
    VacuumTablesJob.Result vacuum = VacuumTablesJob.run(options(VacuumTablesJob.Options.class));
    assertThat(vacuum.tables()).isEmpty();
    assertThat(vacuum.toString()).isEqualTo("deleted 0 files in 0 tables");
  }
}
