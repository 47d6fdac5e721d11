package dev.ticklake.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schema and the codec describe the same contract. */
class MarketEventSchemaExamplesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode schema() throws Exception {
    try (InputStream in =
        MarketEventSchemaExamplesTest.class
            .getClassLoader()
            .getResourceAsStream("contracts/market-event.schema.json")) {
      assertThat(in).as("contracts/market-event.schema.json on the classpath").isNotNull();
      return MAPPER.readTree(in);
    }
  }

  /** Every example that is a whole event (the ts examples are values, not events). */
  private static List<JsonNode> eventExamples(JsonNode schema) {
    List<JsonNode> examples = new ArrayList<>();
    for (String pointer : List.of("/examples", "/$defs/trade/examples", "/$defs/bar/examples")) {
      schema.at(pointer).forEach(examples::add);
    }
    return examples;
  }

  @Test
  void everyExampleParses() throws Exception {
    List<JsonNode> examples = eventExamples(schema());

    assertThat(examples).hasSize(8);
    for (JsonNode example : examples) {
      MarketEvent event = MarketEventCodec.parse(MAPPER.writeValueAsBytes(example));
      assertThat(event.kind())
          .as(example.toString())
          .isEqualTo(example.has("price") ? EventKind.TRADE : EventKind.BAR);
    }
  }

  @Test
  void theTopLevelExamplesAreTheDocumentedEvents() throws Exception {
    List<JsonNode> examples = eventExamples(schema());

    assertThat(MarketEventCodec.parse(MAPPER.writeValueAsBytes(examples.get(0))))
        .isEqualTo(
            MarketEvent.trade("AAPL", Instant.parse("2026-11-20T14:30:00.123Z"), 187.12, 300));
    assertThat(MarketEventCodec.parse(MAPPER.writeValueAsBytes(examples.get(1))))
        .isEqualTo(
            MarketEvent.bar(
                "AAPL",
                Instant.parse("2026-11-20T14:30:00Z"),
                BarInterval.ONE_MINUTE,
                187.0,
                187.5,
                186.9,
                187.2,
                12000));
  }

  @Test
  void theTimestampExamplesParse() throws Exception {
    for (JsonNode ts : schema().at("/$defs/ts/examples")) {
      String json = "{\"symbol\":\"A\",\"ts\":" + ts + ",\"price\":1,\"volume\":1}";

      assertThat(
              MarketEventCodec.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).ts())
          .as(ts.toString())
          .isIn(Instant.parse("2026-11-20T14:30:00.123Z"), Instant.parse("2026-11-20T14:30:00Z"));
    }
  }

  @Test
  void theSchemaListsExactlyTheIntervalsOfBarInterval() throws Exception {
    List<String> listed = new ArrayList<>();
    schema().at("/$defs/bar/properties/interval/enum").forEach(n -> listed.add(n.asText()));

    assertThat(listed)
        .containsExactlyElementsOf(
            Arrays.stream(BarInterval.values()).map(BarInterval::label).toList());
  }

  @Test
  void theSchemaRequiresWhatTheCodecRequires() throws Exception {
    JsonNode schema = schema();

    assertThat(MAPPER.convertValue(schema.at("/$defs/trade/required"), List.class))
        .containsExactly("symbol", "ts", "price", "volume");
    assertThat(MAPPER.convertValue(schema.at("/$defs/bar/required"), List.class))
        .containsExactly("symbol", "ts", "interval", "open", "high", "low", "close", "volume");
    assertThat(schema.at("/$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }
}
