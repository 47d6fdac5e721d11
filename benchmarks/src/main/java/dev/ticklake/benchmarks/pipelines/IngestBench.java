package dev.ticklake.benchmarks.pipelines;

import static dev.ticklake.benchmarks.pipelines.Suites.log;
import static dev.ticklake.benchmarks.pipelines.Suites.seconds;

import dev.ticklake.feeds.FeedItem;
import dev.ticklake.feeds.SyntheticFeed;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import dev.ticklake.pipelines.BatchStatus;
import dev.ticklake.pipelines.IngestBronzeJob;
import dev.ticklake.pipelines.KafkaClientConfig;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.delta.DeltaTable;
import io.delta.standalone.actions.AddFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka side of the pipeline suites: an embedded broker with a 2-partition topic filled with
 * {@code events} synthetic trades (produce rate measured), the raw kafka-clients consume rate of
 * that topic, and the Bronze ingest ({@link IngestBronzeJob#run}) of all of it per runner,
 * verified.
 */
final class IngestBench implements AutoCloseable {
  static final String TOPIC = "market.ticks";
  static final int PARTITIONS = 2;

  /** Events are 1 ms apart from 14:30 UTC yesterday: one trade date, never in the future. */
  static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1)).plusSeconds(52_200);

  final EmbeddedKafka kafka;
  final long events;
  final int symbols;
  double produceSeconds;
  long producedBytes;
  final Map<Integer, Long> perPartition = new LinkedHashMap<>();

  private IngestBench(EmbeddedKafka kafka, long events, int symbols) {
    this.kafka = kafka;
    this.events = events;
    this.symbols = symbols;
  }

  /** Starts the broker, creates the topic and produces the events as fast as possible. */
  static IngestBench start(PrintStream out, long events) {
    long t0 = System.nanoTime();
    EmbeddedKafka kafka = EmbeddedKafka.start();
    log(out, "[kafka] embedded broker at %s up in %.2f s", kafka.bootstrapServers(), seconds(t0));
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic(TOPIC).withPartitions(PARTITIONS);
    Topics.ensureTopic(settings);
    SyntheticFeed feed = SyntheticFeed.builder().seed(42).count(events).start(START).build();
    IngestBench bench = new IngestBench(kafka, events, SyntheticFeed.DEFAULT_START_PRICES.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    log(out, "[kafka] producing %,d synthetic trades (feed's producer settings) ...", events);
    t0 = System.nanoTime();
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings.producerProperties())) {
      Iterator<FeedItem> items = feed.items();
      while (items.hasNext()) {
        FeedItem item = items.next();
        byte[] key = item.key();
        byte[] value = item.value();
        bytes += key.length + value.length;
        producer.send(
            new ProducerRecord<>(TOPIC, key, value),
            (meta, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    bench.produceSeconds = seconds(t0);
    bench.producedBytes = bytes;
    if (failure.get() != null) {
      throw new IllegalStateException("Producing the benchmark events failed", failure.get());
    }
    try (KafkaConsumer<byte[], byte[]> c = consumer(bench.bootstrapServers())) {
      long total = 0;
      for (Map.Entry<TopicPartition, Long> e : c.endOffsets(partitions()).entrySet()) {
        bench.perPartition.put(e.getKey().partition(), e.getValue());
        total += e.getValue();
      }
      if (total != events) {
        throw new IllegalStateException("The topic holds " + total + " records, not " + events);
      }
    }
    log(
        out,
        "[kafka] produced %,d events (%,d MB) in %.2f s: %,d events/s; per partition %s",
        events,
        bytes >> 20,
        bench.produceSeconds,
        Math.round(events / bench.produceSeconds),
        bench.perPartition);
    return bench;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  static List<TopicPartition> partitions() {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      tps.add(new TopicPartition(TOPIC, p));
    }
    return tps;
  }

  /** A consumer with the pipeline's settings ({@code KafkaClientConfig}). */
  static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(
        KafkaClientConfig.consumer(bootstrapServers, List.of()),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /**
   * One thread, one consumer with the pipeline's fetch settings, assigned both partitions, reads
   * {@code limit} records from the beginning, touching every key and value; returns the seconds
   * (consumer creation included, as a pipeline worker pays it).
   */
  double rawConsume(long limit) {
    long t0 = System.nanoTime();
    long n = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrapServers())) {
      c.assign(partitions());
      c.seekToBeginning(partitions());
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (n < limit) {
        ConsumerRecords<byte[], byte[]> polled = c.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          n++;
          bytes += r.value().length + (r.key() == null ? 0 : r.key().length);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Raw consume stalled at " + n + " records");
        }
      }
    }
    double s = seconds(t0);
    if (n < limit || bytes <= 0) {
      throw new IllegalStateException("Raw consume read " + n + " records, expected " + limit);
    }
    return s;
  }

  /** The result of one Bronze ingest run. */
  record IngestRun(double seconds, long rowsCommitted, long rowsInLog, long files, long version) {}

  /**
   * Runs {@link IngestBronzeJob#run} on {@code runner} into a fresh lake, reading at most {@code
   * cap} records; verifies the commit and the log against {@code expected} rows.
   */
  IngestRun ingest(String runner, int workers, String lakeRoot, long cap, long expected) {
    IngestBronzeJob.Options o = PipelineOptionsFactory.as(IngestBronzeJob.Options.class);
    o.setLakeRoot(lakeRoot);
    o.setBootstrapServers(bootstrapServers());
    o.setTopic(TOPIC);
    o.setMaxRecordsPerBatch(cap);
    o.setRunId("bench");
    Suites.configure(o, runner, workers);
    long t0 = System.nanoTime();
    IngestBronzeJob.Result r = IngestBronzeJob.run(o);
    double s = seconds(t0);
    String location = TableCatalog.BRONZE_TICKS.location(lakeRoot);
    DeltaTable table = DeltaTable.at(location);
    long inLog = 0;
    List<AddFile> files = table.filesAt(-1);
    for (AddFile f : files) {
      inLog += RunnerBench.numRecords(f);
    }
    long committed = r.commit() == null ? 0 : r.commit().rowsCommitted();
    if (r.status() != BatchStatus.COMMITTED || committed != expected || inLog != expected) {
      throw new IllegalStateException(
          String.format(
              "%s Bronze ingest is wrong: status %s, %d rows committed, %d in the log; expected %d",
              runner, r.status(), committed, inLog, expected));
    }
    return new IngestRun(s, committed, inLog, files.size(), table.latestVersion());
  }

  static String bronzeLocation(String lakeRoot) {
    return TableCatalog.BRONZE_TICKS.location(lakeRoot);
  }

  static Path bronzePath(String lakeRoot) {
    return Path.of(bronzeLocation(lakeRoot));
  }

  @Override
  public void close() {
    kafka.close();
  }
}
