package dev.ticklake.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.testing.KilledChild;
import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.util.FaultPoints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka → Bronze on a real embedded KRaft broker, checked with Delta Kernel. */
class IngestBronzeIT {
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  /** A produced record: where it landed and its exact bytes. */
  record Produced(int partition, long offset, byte[] key, byte[] value) {}

  private String topic;

  private void createTopic(String name, int partitions) throws Exception {
    topic = name;
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private Map<String, Produced> produce(int from, int count, Integer partition) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    Map<String, Produced> out = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        String symbol = i % 3 == 0 ? "AAPL" : i % 3 == 1 ? "MSFT" : "TSLA";
        byte[] key = symbol.getBytes(StandardCharsets.UTF_8);
        // Every fifth record is not JSON: Bronze keeps it anyway.
        byte[] value =
            (i % 5 == 4
                    ? "not json #" + i
                    : "{\"symbol\":\""
                        + symbol
                        + "\",\"ts\":\"2026-11-20T14:30:00Z\",\"price\":"
                        + (100 + i)
                        + ",\"volume\":"
                        + i
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        out.put(
            m.partition() + "@" + m.offset(), new Produced(m.partition(), m.offset(), key, value));
      }
    }
    return out;
  }

  private IngestBronzeJob.Options options(long maxRecords) {
    IngestBronzeJob.Options o =
        org.apache.beam.sdk.options.PipelineOptionsFactory.as(IngestBronzeJob.Options.class);
    o.setLakeRoot(dir.resolve("lake").toString());
    o.setBootstrapServers(kafka.bootstrapServers());
    o.setTopic(topic);
    o.setMaxRecordsPerBatch(maxRecords);
    return o;
  }

  private String bronze() {
    return TableCatalog.BRONZE_TICKS.location(dir.resolve("lake").toString());
  }

  /**
   * Asserts Bronze holds exactly {@code expected}: the same (partition, offset) set, the same
   * bytes.
   */
  private void assertBronzeHoldsExactly(Map<String, Produced> expected) {
    List<Map<String, Object>> rows = KernelTableReader.of(bronze()).readLatest();
    Map<String, Map<String, Object>> byPosition =
        rows.stream()
            .collect(Collectors.toMap(r -> r.get("partition") + "@" + r.get("offset"), r -> r));
    assertThat(rows).hasSize(byPosition.size());
    assertThat(byPosition.keySet()).isEqualTo(expected.keySet());
    for (Produced p : expected.values()) {
      Map<String, Object> row = byPosition.get(p.partition() + "@" + p.offset());
      assertThat(row.get("topic")).isEqualTo(topic);
      assertThat(row.get("key")).isEqualTo(ByteBuffer.wrap(p.key()));
      assertThat(row.get("value")).isEqualTo(ByteBuffer.wrap(p.value()));
      assertThat(row.get("kafka_ts")).isNotNull();
    }
  }

  @Test
  void ingestsExactlyTheProducedRecordsWithTheirOffsets() throws Exception {
    createTopic("ticks-exact", 2);
    Map<String, Produced> produced = produce(0, 1000, null);

    IngestBronzeJob.Result result = IngestBronzeJob.run(options(1_000_000));

    assertThat(result.status()).isEqualTo(BatchStatus.COMMITTED);
    assertThat(result.commit().rowsCommitted()).isEqualTo(1000);
    assertBronzeHoldsExactly(produced);
    DeltaTable table = DeltaTable.at(bronze());
    long end0 = produced.values().stream().filter(p -> p.partition() == 0).count();
    assertThat(table.txnVersion("bronze:ticks-exact:0")).isEqualTo(end0);
    assertThat(table.txnVersion("bronze:ticks-exact:1")).isEqualTo(1000 - end0);

    IngestBronzeJob.Result again = IngestBronzeJob.run(options(1_000_000));
    assertThat(again.status()).isEqualTo(BatchStatus.NOTHING_NEW);
    assertThat(table.latestVersion()).isZero();
  }

  @Test
  void batchesCappedByMaxRecordsCoverEveryRecordOnce() throws Exception {
    createTopic("ticks-capped", 2);
    Map<String, Produced> produced = produce(0, 250, null);
    int batches = 0;
    while (IngestBronzeJob.run(options(60)).status() == BatchStatus.COMMITTED) {
      batches++;
      assertThat(batches).isLessThan(20);
    }
    assertThat(batches).isBetween(5, 6);
    assertBronzeHoldsExactly(produced);
  }

  @Test
  void partitionsAddedLaterAreReadFromOffsetZero() throws Exception {
    createTopic("ticks-grow", 1);
    Map<String, Produced> produced = produce(0, 50, null);
    IngestBronzeJob.run(options(1_000_000));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    produced.putAll(produce(50, 20, 1));
    produced.putAll(produce(70, 20, 2));

    assertThat(IngestBronzeJob.run(options(1_000_000)).status()).isEqualTo(BatchStatus.COMMITTED);

    assertBronzeHoldsExactly(produced);
    assertThat(produced.keySet()).contains("1@0", "2@0");
    assertThat(DeltaTable.at(bronze()).txnVersion("bronze:ticks-grow:2")).isEqualTo(20);
  }

  @Test
  void killedBeforeCommitThenRerunGivesNoGapNoDuplicate() throws Exception {
    createTopic("ticks-crash-before", 2);
    Map<String, Produced> produced = produce(0, 300, null);
    IngestBronzeJob.run(options(1_000_000));
    produced.putAll(produce(300, 200, null));

    killChildAt(FaultPoints.BEFORE_COMMIT);
    assertThat(DeltaTable.at(bronze()).latestVersion())
        .as("nothing committed by the killed batch")
        .isZero();

    assertThat(IngestBronzeJob.run(options(1_000_000)).status()).isEqualTo(BatchStatus.COMMITTED);
    assertBronzeHoldsExactly(produced);
  }

  @Test
  void killedRightAfterCommitThenRerunFindsNothingNew() throws Exception {
    createTopic("ticks-crash-after", 2);
    Map<String, Produced> produced = produce(0, 300, null);
    IngestBronzeJob.run(options(1_000_000));
    produced.putAll(produce(300, 200, null));

    killChildAt(FaultPoints.AFTER_COMMIT);
    assertThat(DeltaTable.at(bronze()).latestVersion()).isEqualTo(1);

    assertThat(IngestBronzeJob.run(options(1_000_000)).status()).isEqualTo(BatchStatus.NOTHING_NEW);
    assertBronzeHoldsExactly(produced);
  }

  @Test
  void recordsProducedByKcatAreIngestedByteForByte() throws Exception {
    createTopic("ticks-kcat", 1);
    Path input = dir.resolve("kcat-input.txt");
    String lines =
        "AAPL|{\"symbol\":\"AAPL\",\"ts\":\"2026-11-20T14:30:00.123Z\",\"price\":187.12,\"volume\":300}\n"
            + "MSFT|{\"symbol\":\"MSFT\",\"ts\":1795185000123,\"price\":412.05,\"volume\":25,\"note\":\"ünïcödé €\"}\n"
            + "TSLA|garbage \t with tab\n";
    Files.writeString(input, lines);
    Process kcat =
        new ProcessBuilder(
                "kcat",
                "-P",
                "-b",
                kafka.bootstrapServers(),
                "-t",
                topic,
                "-K",
                "|",
                "-l",
                input.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kcat.exitValue()).as(new String(kcat.getInputStream().readAllBytes())).isZero();

    assertThat(IngestBronzeJob.run(options(1_000_000)).rows()).isEqualTo(3);

    List<Map<String, Object>> rows =
        KernelTableReader.sorted(KernelTableReader.of(bronze()).readLatest(), "offset");
    String[] expected = lines.split("\n");
    for (int i = 0; i < 3; i++) {
      String[] kv = expected[i].split("\\|", 2);
      assertThat(rows.get(i).get("offset")).isEqualTo((long) i);
      assertThat(rows.get(i).get("key"))
          .isEqualTo(ByteBuffer.wrap(kv[0].getBytes(StandardCharsets.UTF_8)));
      assertThat(rows.get(i).get("value"))
          .isEqualTo(ByteBuffer.wrap(kv[1].getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Runs one IngestBronzeJob batch in a child JVM paused at {@code point}, then SIGKILLs it. */
  private void killChildAt(String point) throws Exception {
    KilledChild.killAt(
        point,
        dir,
        IngestBronzeJob.class,
        "--lakeRoot=" + dir.resolve("lake"),
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--topic=" + topic);
  }
}
