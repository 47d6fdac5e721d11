package dev.ticklake.transforms.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading Silver files straight into events gives exactly the events of the Avro rows: every
 * column, trades (null interval), one-minute and longer bars, ties, several dates and files.
 */
class SilverEventFileReaderTest {
  @TempDir Path dir;

  @Test
  void eventsEqualTheAvroRowsConverted() {
    GoldLake lake = new GoldLake(dir.toString());
    List<GenericRecord> rows = GoldLake.generate(5, List.of("AAPL", "BRK.B", "MSFT"), 3);
    lake.writeSilver(rows.subList(0, rows.size() / 2));
    lake.writeSilver(rows.subList(rows.size() / 2, rows.size()));

    List<SilverEvent> expected =
        new ArrayList<>(rows.stream().map(SilverEventFileReaderTest::event).toList());
    SilverEvent.sortInEventOrder(expected);
    assertThat(expected)
        .extracting(SilverEvent::feed)
        .contains(SilverEvent.Feed.TRADE, SilverEvent.Feed.MINUTE_BAR, SilverEvent.Feed.LONGER_BAR);

    Pipeline p = Runners.direct();
    Collected<SilverEvent> read = Collected.into();
    p.apply(
            DeltaIO.read()
                .from(CatalogTables.spec(TableCatalog.SILVER_TICKS, lake.root))
                .readingFilesWith(new SilverEventFileReader(), SilverEvent.EventCoder.of()))
        .apply(read);
    p.run().waitUntilFinish();

    List<SilverEvent> actual = new ArrayList<>(read.elements());
    SilverEvent.sortInEventOrder(actual);
    assertThat(actual).hasSize(rows.size()).containsExactlyElementsOf(expected);
  }

  /** A Silver row as the event it must read as, written here independently of the reader. */
  private static SilverEvent event(GenericRecord row) {
    String kind = row.get("kind").toString();
    Object interval = row.get("interval");
    SilverEvent.Feed feed =
        "trade".equals(kind)
            ? SilverEvent.Feed.TRADE
            : interval != null && "1min".equals(interval.toString())
                ? SilverEvent.Feed.MINUTE_BAR
                : SilverEvent.Feed.LONGER_BAR;
    return new SilverEvent(
        row.get("symbol").toString(),
        (Long) row.get("ts"),
        (Integer) row.get("trade_date"),
        feed,
        (Double) row.get("open"),
        (Double) row.get("high"),
        (Double) row.get("low"),
        (Double) row.get("close"),
        (Long) row.get("volume"),
        row.get("source").toString(),
        row.get("event_id").toString());
  }

  @Test
  void aFileWithoutItsDatePartitionIsRefusedByName() {
    assertThatThrownBy(
            () ->
                new SilverEventFileReader()
                    .read(
                        new Configuration(),
                        new org.apache.hadoop.fs.Path("/lake/silver/ticks/part-0.parquet"),
                        Map.of(),
                        e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part-0.parquet")
        .hasMessageContaining("trade_date");
  }
}
