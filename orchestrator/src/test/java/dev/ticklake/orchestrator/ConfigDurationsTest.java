package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration's durations: the shipped file, the documented forms and ISO-8601. */
class ConfigDurationsTest {

  private final YamlConfigurationFactory<TickLakeConfiguration> factory =
      new YamlConfigurationFactory<>(
          TickLakeConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

  @Test
  void shippedConfigurationHasTheDocumentedDurations() throws Exception {
    TickLakeConfiguration c =
        factory.build(
            TickLakeApplication.configurationSourceProvider(), TickLakeApplication.DEFAULT_CONFIG);

    assertThat(c.getKafka().healthCheckTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.getScheduler().loopInterval.toJavaDuration()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.getScheduler().dagRefreshInterval.toJavaDuration())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(c.getScheduler().heartbeatTimeout.toJavaDuration())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(c.getScheduler().interruptGrace.toJavaDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.getLineage().timeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.getLineage().closeTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void acceptsDropwizardFormsAndIso8601() throws Exception {
    assertThat(loopInterval("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(loopInterval("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(loopInterval("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(loopInterval("1 minute")).isEqualTo(Duration.ofMinutes(1));
    assertThat(loopInterval("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(loopInterval("pt0.25s")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void rejectsWhatIsNoDuration() {
    assertThatThrownBy(() -> loopInterval("soon"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("loopInterval");
    assertThatThrownBy(() -> loopInterval("-PT5S"))
        .isInstanceOf(ConfigurationParsingException.class);
  }

  private Duration loopInterval(String text) throws Exception {
    String yaml = "scheduler:\n  loopInterval: \"" + text + "\"\n";
    TickLakeConfiguration c =
        factory.build(
            path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
    return c.getScheduler().loopInterval.toJavaDuration();
  }
}
