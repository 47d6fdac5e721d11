package dev.ticklake.orchestrator.core.lineage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where OpenLineage events go (configuration {@code lineage:}, see docs/lineage.md).
 *
 * @param namespace the job namespace of the events (default {@code ticklake})
 * @param transport {@code none} (default: records in the database only), {@code http} or {@code
 *     file}
 * @param url http: the base URL of a Marquez-compatible endpoint, e.g. {@code
 *     http://localhost:5000}
 * @param endpoint http: the path events are POSTed to (default {@code /api/v1/lineage})
 * @param apiKey http: sent as {@code Authorization: Bearer <apiKey>} when not empty
 * @param timeout http: connect and response timeout of one send
 * @param file file: the JSON-lines file events are appended to
 * @param queueCapacity events waiting to be sent; more are dropped
 * @param closeTimeout at shutdown, how long queued events may still be sent
 */
public record LineageSettings(
    String namespace,
    String transport,
    String url,
    String endpoint,
    String apiKey,
    Duration timeout,
    Path file,
    int queueCapacity,
    Duration closeTimeout) {

  public LineageSettings {
    Objects.requireNonNull(namespace, "namespace");
    transport = transport == null ? "none" : transport.trim().toLowerCase(Locale.ROOT);
    url = url == null ? "" : url.trim();
    endpoint = endpoint == null || endpoint.isBlank() ? "/api/v1/lineage" : endpoint.trim();
    apiKey = apiKey == null ? "" : apiKey.trim();
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("lineage.namespace must not be empty (e.g. ticklake)");
    }
    switch (transport) {
      case "none" -> {}
      case "http" -> {
        if (url.isEmpty()) {
          throw new IllegalArgumentException(
              "lineage.transport http needs lineage.url, e.g. http://localhost:5000 (Marquez)");
        }
        URI u = URI.create(url);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException(
              "lineage.url must be an http(s) URL, e.g. http://localhost:5000; got " + url);
        }
      }
      case "file" -> {
        if (file == null || file.toString().isBlank()) {
          throw new IllegalArgumentException(
              "lineage.transport file needs lineage.file, e.g. ./data/lineage/openlineage.jsonl");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown lineage.transport '" + transport + "' (known: none, http, file)");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("lineage.timeout must be positive, got " + timeout);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException(
          "lineage.queueCapacity must be >= 1, got " + queueCapacity);
    }
  }

  /** No events; records in the database only. */
  public static LineageSettings none() {
    return new LineageSettings(
        "ticklake", "none", "", "", "", Duration.ofSeconds(5), null, 1000, Duration.ofSeconds(5));
  }

  public static LineageSettings http(String url, Duration timeout) {
    return new LineageSettings(
        "ticklake", "http", url, "", "", timeout, null, 1000, Duration.ofSeconds(5));
  }

  public static LineageSettings file(Path file) {
    return new LineageSettings(
        "ticklake", "file", "", "", "", Duration.ofSeconds(5), file, 1000, Duration.ofSeconds(5));
  }

  public LineageSettings withQueueCapacity(int capacity) {
    return new LineageSettings(
        namespace, transport, url, endpoint, apiKey, timeout, file, capacity, closeTimeout);
  }

  public LineageSettings withCloseTimeout(Duration close) {
    return new LineageSettings(
        namespace, transport, url, endpoint, apiKey, timeout, file, queueCapacity, close);
  }

  public boolean emitsEvents() {
    return !"none".equals(transport);
  }
}
