package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.serving.FilePruning.FileStats;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilePruningTest {
  private static final Instant FROM = Instant.parse("2026-11-19T14:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-19T15:00:00Z");

  /** gold/bars_1m's layout: partitions (symbol, trade_date), time column bar_start. */
  private final FilePruning bars =
      new FilePruning(
          Optional.of("symbol"),
          Set.of("MSFT"),
          Map.of("bar_start", false, "trade_date", true),
          Optional.of(FROM),
          Optional.of(TO));

  @Test
  void keepsOnlyTheAskedSymbolsAndDaysPartitions() {
    FileStats any = FileStats.NONE;
    assertThat(bars.mayMatch(Map.of("symbol", "MSFT", "trade_date", "2026-11-19"), any)).isTrue();
    assertThat(bars.mayMatch(Map.of("symbol", "AAPL", "trade_date", "2026-11-19"), any)).isFalse();
    assertThat(bars.mayMatch(Map.of("symbol", "MSFT", "trade_date", "2026-11-18"), any)).isFalse();
    assertThat(bars.mayMatch(Map.of("symbol", "MSFT", "trade_date", "2026-11-20"), any)).isFalse();
  }

  @Test
  void skipsFilesWhoseTimeStatisticsEndBeforeOrStartAfterTheRange() {
    Map<String, String> partition = Map.of("symbol", "MSFT", "trade_date", "2026-11-19");
    assertThat(bars.mayMatch(partition, stats("13:00:00.000", "13:59:59.000"))).isFalse();
    assertThat(bars.mayMatch(partition, stats("15:00:00.001", "16:00:00.000"))).isFalse();
    assertThat(bars.mayMatch(partition, stats("13:00:00.000", "14:00:00.000"))).isTrue();
    assertThat(bars.mayMatch(partition, stats("15:00:00.000", "16:00:00.000"))).isTrue();
    // the max is truncated to milliseconds by the writer: 13:59:59.999 may hide 13:59:59.999999
    assertThat(
            new FilePruning(
                    bars.symbolColumn(),
                    bars.symbols(),
                    bars.timeColumns(),
                    Optional.of(Instant.parse("2026-11-19T13:59:59.999500Z")),
                    Optional.of(TO))
                .mayMatch(partition, stats("13:00:00.000", "13:59:59.999")))
        .isTrue();
  }

  @Test
  void missingOrUnreadableStatisticsKeepTheFile() {
    Map<String, String> partition = Map.of("symbol", "MSFT", "trade_date", "2026-11-19");
    assertThat(bars.mayMatch(partition, FileStats.parse(null))).isTrue();
    assertThat(bars.mayMatch(partition, FileStats.parse("{not json"))).isTrue();
    assertThat(bars.mayMatch(partition, FileStats.parse("{\"numRecords\":3}"))).isTrue();
  }

  @Test
  void aSymbolThatIsNoPartitionIsCheckedOnItsStatistics() {
    // gold/daily_metrics: partitioned by trading_date only
    FilePruning daily =
        new FilePruning(
            Optional.of("symbol"),
            Set.of("MSFT"),
            Map.of("trading_date", true),
            Optional.empty(),
            Optional.empty());
    Map<String, String> day = Map.of("trading_date", "2026-11-19");
    assertThat(daily.mayMatch(day, symbols("AAPL", "NVDA"))).isTrue();
    assertThat(daily.mayMatch(day, symbols("AAPL", "AMZN"))).isFalse();
    assertThat(daily.mayMatch(day, symbols("NVDA", "TSLA"))).isFalse();
    assertThat(FilePruning.none().mayMatch(day, symbols("AAPL", "AMZN"))).isTrue();
  }

  private static FileStats stats(String min, String max) {
    return FileStats.parse(
        "{\"numRecords\":1,\"minValues\":{\"bar_start\":\"2026-11-19T"
            + min
            + "Z\"},\"maxValues\":{\"bar_start\":\"2026-11-19T"
            + max
            + "Z\"}}");
  }

  private static FileStats symbols(String min, String max) {
    return FileStats.parse(
        "{\"minValues\":{\"symbol\":\"" + min + "\"},\"maxValues\":{\"symbol\":\"" + max + "\"}}");
  }
}
