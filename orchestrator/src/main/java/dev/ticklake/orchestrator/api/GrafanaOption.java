package dev.ticklake.orchestrator.api;

/** A drop-down option: {@code {"label": "AAPL", "value": "AAPL"}}. */
public record GrafanaOption(String label, String value) {
  public static GrafanaOption of(String value) {
    return new GrafanaOption(value, value);
  }
}
