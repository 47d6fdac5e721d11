package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfTemplatesTest {

  private static Map<String, String> options(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void replacesConfValuesOfEveryKind() {
    String conf =
        "{\"symbols\": [\"AAPL\", \"MSFT\"], \"params\": {\"seed\": 7, \"eta\": 0.25},"
            + " \"full\": true, \"note\": \"re train\", \"window\": {\"days\": 3}}";
    assertThat(
            ConfTemplates.render(
                options(
                    "symbols", "{{ conf.symbols }}",
                    "seed", "{{conf.params.seed}}",
                    "eta", "{{ conf.params.eta }}",
                    "full", "{{ conf.full }}",
                    "label", "run {{ conf.note }} at seed {{ conf.params.seed }}",
                    "window", "{{ conf.window }}",
                    "plain", "5s"),
                conf))
        .containsExactly(
            Map.entry("symbols", "AAPL,MSFT"),
            Map.entry("seed", "7"),
            Map.entry("eta", "0.25"),
            Map.entry("full", "true"),
            Map.entry("label", "run re train at seed 7"),
            Map.entry("window", "{\"days\":3}"),
            Map.entry("plain", "5s"));
  }

  @Test
  void defaultsApplyWhenTheConfLacksTheKeyOrThereIsNoConf() {
    Map<String, String> o = options("seed", "{{ conf.params.seed | default: 42 }}");
    assertThat(ConfTemplates.render(o, null)).containsExactly(Map.entry("seed", "42"));
    assertThat(ConfTemplates.render(o, "{\"params\": {}}"))
        .containsExactly(Map.entry("seed", "42"));
    assertThat(ConfTemplates.render(o, "{\"params\": {\"seed\": null}}"))
        .containsExactly(Map.entry("seed", "42"));
    assertThat(ConfTemplates.render(o, "{\"params\": {\"seed\": 9}}"))
        .containsExactly(Map.entry("seed", "9"));
  }

  @Test
  void aMissingValueWithoutDefaultSaysWhatToDo() {
    assertThatThrownBy(
            () -> ConfTemplates.render(options("symbols", "{{ conf.symbols }}"), "{\"x\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task option 'symbols' uses {{ conf.symbols }} but the run's conf has no 'symbols':"
                + " trigger with {\"conf\": {\"symbols\": ...}} or give a default,"
                + " {{ conf.symbols | default: <value> }}");
  }

  @Test
  void aConfThatIsNotAnObjectIsRejectedAndOtherBracesAreLeftAlone() {
    assertThatThrownBy(() -> ConfTemplates.render(options("a", "{{ conf.a }}"), "[1]"))
        .hasMessage("the run's conf must be a JSON object, got: [1]");
    assertThat(ConfTemplates.render(options("a", "{{ logical_time }}"), "{}"))
        .containsExactly(Map.entry("a", "{{ logical_time }}"));
  }
}
