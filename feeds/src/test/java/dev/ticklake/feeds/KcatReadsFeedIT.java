package dev.ticklake.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.feeds.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kcat, a Kafka client written in C (installed by {@code ci/install-deps.sh}), reads exactly what a
 * feed published to the embedded broker: the broker and the wire format work with a client we did
 * not write.
 */
class KcatReadsFeedIT {

  @Test
  void kcatReadsTheKeysAndValuesTheFeedSent() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat missing: run ci/install-deps.sh");
    SyntheticFeed feed =
        SyntheticFeed.builder()
            .seed(11)
            .count(40)
            .start(Instant.parse("2024-01-02T14:30:00Z"))
            .build();
    List<String> expected = new ArrayList<>();
    feed.items()
        .forEachRemaining(item -> expected.add(item.keyAsString() + "\t" + item.valueAsString()));

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers()).withPartitions(1);
      Topics.ensureTopic(settings);
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      new FeedPublisher(settings, quiet, quiet).run(feed, 0, null);

      Process kcat =
          new ProcessBuilder(
                  "/usr/bin/kcat",
                  "-b",
                  kafka.bootstrapServers(),
                  "-t",
                  settings.topic(),
                  "-C",
                  "-o",
                  "beginning",
                  "-e",
                  "-q",
                  "-f",
                  "%k\t%s\n")
              .redirectErrorStream(true)
              .start();
      assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat finished").isTrue();
      String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(kcat.exitValue()).as(output).isZero();
      assertThat(output.lines().toList()).containsExactlyElementsOf(expected);
    }
  }
}
