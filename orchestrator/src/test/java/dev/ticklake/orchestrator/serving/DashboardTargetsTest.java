package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dashboard targets interpolated as the simPod plugin does, in code and in builder mode. */
class DashboardTargetsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void codeModeReplacesOneValueAsItIsAndSeveralAsAJsonArray() throws Exception {
    JsonNode t =
        json(
            "{\"refId\": \"B\", \"target\": \"market.sma\", \"editorMode\": \"code\","
                + " \"payload\": \"{\\\"symbol\\\": $symbols, \\\"interval\\\": \\\"${interval}\\\"}\"}");
    assertThat(
            DashboardTargets.target(
                t, Map.of("symbols", List.of("AAPL", "MSFT"), "interval", List.of("1m"))))
        .isEqualTo(
            json(
                "{\"target\": \"market.sma\", \"refId\": \"B\","
                    + " \"payload\": {\"symbol\": [\"AAPL\", \"MSFT\"], \"interval\": \"1m\"}}"));
  }

  @Test
  void builderModeUsesGrafanasRegexFormat() throws Exception {
    JsonNode t =
        json(
            "{\"target\": \"market.close\", \"editorMode\": \"builder\","
                + " \"payload\": {\"symbol\": \"$symbol\"}}");
    assertThat(DashboardTargets.target(t, Map.of("symbol", List.of("BRK.B", "MSFT"))))
        .isEqualTo(
            json(
                "{\"target\": \"market.close\", \"refId\": \"A\","
                    + " \"payload\": {\"symbol\": \"(BRK\\\\.B|MSFT)\"}}"));
  }

  @Test
  void anUndefinedVariableOrANonObjectPayloadIsRejectedByName() throws Exception {
    assertThatThrownBy(() -> DashboardTargets.replace("$nope", Map.of("a", List.of("1")), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("variable $nope is not defined; defined: [a]");
    JsonNode t = json("{\"target\": \"m\", \"payload\": \"[$a]\"}");
    assertThatThrownBy(() -> DashboardTargets.target(t, Map.of("a", List.of("1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the payload of \"m\" is not a JSON object: [1]");
  }
}
