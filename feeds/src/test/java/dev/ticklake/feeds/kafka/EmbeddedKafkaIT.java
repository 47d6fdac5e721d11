package dev.ticklake.feeds.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.testing.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** One record as the test sees it on both sides. */
  record Sent(int partition, long offset, String key, String value) {}

  @Test
  void producedKeyedRecordsAreConsumedBackExactly() throws Exception {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic("exact-roundtrip").withPartitions(3);
    Topics.TopicStatus status = Topics.ensureTopic(settings);
    assertThat(status.message()).isEqualTo("created topic exact-roundtrip with 3 partitions");

    List<Sent> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings.producerProperties())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        acks.add(
            producer.send(new ProducerRecord<>(settings.topic(), utf8(key(i)), utf8(value(i)))));
      }
      for (int i = 0; i < acks.size(); i++) {
        RecordMetadata metadata = acks.get(i).get(10, TimeUnit.SECONDS);
        sent.add(new Sent(metadata.partition(), metadata.offset(), key(i), value(i)));
      }
    }
    // Seven keys over three partitions: the default partitioner must have used more than one.
    assertThat(sent.stream().map(Sent::partition).distinct().count()).isGreaterThan(1);

    List<Sent> received = consumeAll(settings, sent.size());
    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    // Per partition the order is the produce order.
    for (int p = 0; p < 3; p++) {
      int partition = p;
      assertThat(received.stream().filter(r -> r.partition() == partition).toList())
          .containsExactlyElementsOf(
              sent.stream().filter(r -> r.partition() == partition).toList());
    }
    try (Topics topics = Topics.connect(settings)) {
      long total = topics.endOffsets().values().stream().mapToLong(Long::longValue).sum();
      assertThat(total).isEqualTo(300);
    }
  }

  @Test
  void ensureTopicLeavesAnExistingTopicAndSaysSo() {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic("existing").withPartitions(1);
    assertThat(Topics.ensureTopic(settings).created()).isTrue();

    Topics.TopicStatus again = Topics.ensureTopic(settings.withPartitions(4));

    assertThat(again).isEqualTo(new Topics.TopicStatus("existing", 1, 4, false, 0));
    assertThat(again.message())
        .isEqualTo(
            "topic existing exists with 1 partitions (fewer than the configured 4; left as is:"
                + " adding partitions moves symbols to other partitions)");
  }

  @Test
  void partitionsAddedLaterAreVisibleToClients() throws Exception {
    KafkaSettings settings =
        KafkaSettings.of(kafka.bootstrapServers()).withTopic("growing").withPartitions(1);
    try (Topics topics = Topics.connect(settings)) {
      topics.ensureTopic();
      assertThat(topics.partitionsFor()).containsExactly(new TopicPartition("growing", 0));

      Topics.TopicStatus grown = topics.ensurePartitions(3);

      assertThat(grown).isEqualTo(new Topics.TopicStatus("growing", 3, 3, false, 2));
      assertThat(grown.message()).isEqualTo("added 2 partitions to topic growing (now 3)");
      assertThat(topics.ensurePartitions(2).partitionsAdded()).isZero();
      assertThat(topics.partitionsFor())
          .containsExactly(
              new TopicPartition("growing", 0),
              new TopicPartition("growing", 1),
              new TopicPartition("growing", 2));

      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(settings.producerProperties())) {
        RecordMetadata metadata =
            producer
                .send(new ProducerRecord<>("growing", 2, utf8("k"), utf8("v")))
                .get(10, TimeUnit.SECONDS);
        assertThat(metadata.partition()).isEqualTo(2);
      }
      assertThat(topics.endOffsets())
          .containsExactly(
              Map.entry(new TopicPartition("growing", 0), 0L),
              Map.entry(new TopicPartition("growing", 1), 0L),
              Map.entry(new TopicPartition("growing", 2), 1L));
    }
  }

  @Test
  void twoBrokersRunSideBySideOnDifferentPorts() throws Exception {
    try (EmbeddedKafka second = EmbeddedKafka.start()) {
      assertThat(second.brokerPort()).isNotEqualTo(kafka.brokerPort());
      assertThat(second.clusterId()).isNotEqualTo(kafka.clusterId());

      KafkaSettings first = KafkaSettings.of(kafka.bootstrapServers()).withTopic("only-on-first");
      KafkaSettings other = KafkaSettings.of(second.bootstrapServers()).withTopic("only-on-second");
      Topics.ensureTopic(first);
      Topics.ensureTopic(other);

      try (Topics a = Topics.connect(first);
          Topics b = Topics.connect(other)) {
        assertThat(a.listTopics()).contains("only-on-first").doesNotContain("only-on-second");
        assertThat(b.listTopics()).containsExactly("only-on-second");
      }
    }
  }

  @Test
  void aTakenPortFailsWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedKafka.builder().brokerPort(port).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("port " + port + " is in use; set kafka.port or stop the other broker");
    }
  }

  @Test
  void aPersistentDataDirectoryIsKeptAndReusedAcrossRestarts(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    Path data = dir.resolve("kafka");
    String clusterId;
    try (EmbeddedKafka first = EmbeddedKafka.builder().dataDirectory(data).start()) {
      clusterId = first.clusterId();
      Topics.ensureTopic(KafkaSettings.of(first.bootstrapServers()).withTopic("kept"));
    }
    assertThat(Files.exists(data.resolve("meta.properties"))).isTrue();

    try (EmbeddedKafka again = EmbeddedKafka.builder().dataDirectory(data).start();
        Topics topics = Topics.connect(KafkaSettings.of(again.bootstrapServers()))) {
      assertThat(again.clusterId()).isEqualTo(clusterId);
      assertThat(topics.listTopics()).containsExactly("kept");
    }
  }

  @Test
  void aTemporaryDataDirectoryIsDeletedOnClose() {
    Path data;
    try (EmbeddedKafka temporary = EmbeddedKafka.start()) {
      data = temporary.dataDirectory();
      assertThat(data).isDirectory();
    }
    assertThat(data).doesNotExist();
  }

  static List<Sent> consumeAll(KafkaSettings settings, int expected) throws Exception {
    List<Sent> received = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings.consumerProperties())) {
      List<TopicPartition> partitions;
      try (Topics topics = Topics.connect(settings)) {
        partitions = topics.partitionsFor();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Await.until(
          Duration.ofSeconds(30),
          expected + " records read back",
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              received.add(
                  new Sent(
                      r.partition(),
                      r.offset(),
                      new String(r.key(), StandardCharsets.UTF_8),
                      new String(r.value(), StandardCharsets.UTF_8)));
            }
            return received.size();
          },
          count -> count >= expected);
      // Nothing beyond what was sent.
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        received.add(new Sent(r.partition(), r.offset(), "unexpected", "unexpected"));
      }
    }
    return received;
  }

  private static String key(int i) {
    return "SYM" + (i % 7);
  }

  private static String value(int i) {
    return "{\"n\":" + i + "}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
