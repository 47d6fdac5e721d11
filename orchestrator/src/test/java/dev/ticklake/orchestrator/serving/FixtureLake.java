package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.RefineSilverJob;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/**
 * A lake built the way production builds it, from fixture events: the events are appended to {@code
 * bronze/ticks} as Kafka records would be, then the real Silver and Gold jobs run on the
 * DirectRunner. The expected bars are computed here from the trades, independently of Gold.
 */
final class FixtureLake {
  static final String TOPIC = "market.ticks";

  /** One trade event. */
  record Trade(String symbol, Instant ts, double price, long volume) {
    String json() {
      return String.format(
          Locale.ROOT,
          "{\"symbol\":\"%s\",\"ts\":\"%s\",\"price\":%s,\"volume\":%d}",
          symbol,
          ts,
          Double.toString(price),
          volume);
    }
  }

  /** An expected one-minute bar. */
  record Bar(
      String symbol,
      Instant start,
      double open,
      double high,
      double low,
      double close,
      long volume,
      double vwap,
      long tradeCount) {}

  final Path root;
  private long nextOffset;
  private int batches;

  FixtureLake(Path root) {
    this.root = root;
  }

  String lakeRoot() {
    return root.toString();
  }

  /**
   * Three trades a minute for {@code minutes} minutes from {@code start}, at seconds 5, 25 and 45,
   * prices and volumes varying deterministically with {@code seed}.
   */
  static List<Trade> trades(String symbol, Instant start, int minutes, int seed) {
    List<Trade> out = new ArrayList<>();
    for (int m = 0; m < minutes; m++) {
      for (int k = 0; k < 3; k++) {
        int x = (m * 31 + k * 17 + seed * 13) % 23;
        double price = 100 + seed * 50 + m * 0.25 + (x - 11) * 0.125;
        long volume = 100L + 10L * ((m + k * 3 + seed) % 7);
        out.add(new Trade(symbol, start.plusSeconds(60L * m + 5 + 20L * k), price, volume));
      }
    }
    return out;
  }

  /** The one-minute bars of {@code trades}, by symbol then start. */
  static List<Bar> bars(List<Trade> trades) {
    Map<String, List<Trade>> byMinute = new TreeMap<>();
    for (Trade t : trades) {
      Instant minute = Instant.ofEpochSecond(Math.floorDiv(t.ts().getEpochSecond(), 60) * 60);
      byMinute.computeIfAbsent(t.symbol() + "|" + minute, k -> new ArrayList<>()).add(t);
    }
    List<Bar> out = new ArrayList<>();
    for (List<Trade> ts : byMinute.values()) {
      ts.sort((a, b) -> a.ts().compareTo(b.ts()));
      double high = Double.NEGATIVE_INFINITY;
      double low = Double.POSITIVE_INFINITY;
      long volume = 0;
      double notional = 0;
      for (Trade t : ts) {
        high = Math.max(high, t.price());
        low = Math.min(low, t.price());
        volume += t.volume();
        notional += t.price() * t.volume();
      }
      Trade first = ts.get(0);
      out.add(
          new Bar(
              first.symbol(),
              Instant.ofEpochSecond(Math.floorDiv(first.ts().getEpochSecond(), 60) * 60),
              first.price(),
              high,
              low,
              ts.get(ts.size() - 1).price(),
              volume,
              notional / volume,
              ts.size()));
    }
    return out;
  }

  /**
   * Appends the trades and the raw {@code badPayloads} to Bronze as one commit, then runs the
   * Silver and Gold jobs once each (both must commit).
   */
  void ingest(List<Trade> trades, List<String> badPayloads) {
    List<String> payloads = new ArrayList<>();
    trades.forEach(t -> payloads.add(t.json()));
    payloads.addAll(badPayloads);
    List<GenericRecord> rows = new ArrayList<>();
    Instant ingest = Instant.parse("2026-11-20T18:00:00Z").plusSeconds(batches);
    long micros = ingest.getEpochSecond() * 1_000_000L;
    for (String p : payloads) {
      GenericRecord row = new GenericData.Record(TableCatalog.BRONZE_TICKS.schema());
      row.put("value", ByteBuffer.wrap(p.getBytes(StandardCharsets.UTF_8)));
      row.put("key", null);
      row.put("topic", TOPIC);
      row.put("partition", 0);
      row.put("offset", nextOffset++);
      row.put("kafka_ts", micros);
      row.put("ingest_ts", micros);
      row.put("ingest_date", (int) ingest.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
      rows.add(row);
    }
    Pipeline p = Runners.direct();
    p.apply(Create.of(rows).withCoder(AvroCoder.of(TableCatalog.BRONZE_TICKS.schema())))
        .apply(DeltaIO.write().to(CatalogTables.spec(TableCatalog.BRONZE_TICKS, lakeRoot())));
    p.run().waitUntilFinish();
    batches++;
    String run = "--runId=fixture-" + batches;
    RefineSilverJob.Result silver =
        RefineSilverJob.run(
            PipelineOptionsFactory.fromArgs("--lakeRoot=" + lakeRoot(), run)
                .as(RefineSilverJob.Options.class));
    assertThat(silver.status()).isEqualTo(BatchStatus.COMMITTED);
    BuildGoldJob.Result gold =
        BuildGoldJob.run(
            PipelineOptionsFactory.fromArgs("--lakeRoot=" + lakeRoot(), run)
                .as(BuildGoldJob.Options.class));
    assertThat(gold.status()).isEqualTo(BatchStatus.COMMITTED);
  }
}
