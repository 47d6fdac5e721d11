package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldNamesTest {

  @Test
  void snakeCaseColumnsBecomeCamelCase() {
    assertThat(FieldNames.camelCase("bar_start")).isEqualTo("barStart");
    assertThat(FieldNames.camelCase("sma_20")).isEqualTo("sma20");
    assertThat(FieldNames.camelCase("bb_pct_b")).isEqualTo("bbPctB");
    assertThat(FieldNames.camelCase("duration_seconds")).isEqualTo("durationSeconds");
  }

  @Test
  void namesWithoutUnderscoresAndEdgeUnderscoresAreKept() {
    assertThat(FieldNames.camelCase("close")).isEqualTo("close");
    assertThat(FieldNames.camelCase("dagId")).isEqualTo("dagId");
    assertThat(FieldNames.camelCase("_private")).isEqualTo("private");
    assertThat(FieldNames.camelCase("trailing_")).isEqualTo("trailing");
  }
}
