package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An item of {@code /variable} ({@code text} and {@code value}), {@code /tag-keys} ({@code type}
 * and {@code text}) or {@code /tag-values} ({@code text}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrafanaText(String type, String text, String value) {
  public static GrafanaText variable(String value) {
    return new GrafanaText(null, value, value);
  }

  public static GrafanaText tagKey(String key) {
    return new GrafanaText("string", key, null);
  }

  public static GrafanaText tagValue(String value) {
    return new GrafanaText(null, value, null);
  }
}
