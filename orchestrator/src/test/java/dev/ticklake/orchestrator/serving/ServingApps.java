package dev.ticklake.orchestrator.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real service over a fixture lake, and raw HTTP to it, for the serving tests. */
final class ServingApps {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ServingApps() {}

  /** A temp folder with a {@code dags/} holding a two-task no-op DAG {@code hello}. */
  static Path dir(String prefix) {
    try {
      Path d = Files.createTempDirectory(prefix);
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"),
          "dag_id: hello\ndescription: serving test\ntasks:\n  - {task_id: a, pipeline: noop}\n"
              + "  - {task_id: b, pipeline: noop, upstream: [a]}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The service over {@code dir/lake}, with a database of its own ({@code dir/db-<name>}). */
  static DropwizardAppExtension<TickLakeConfiguration> app(
      Path dir, String name, io.dropwizard.testing.ConfigOverride... more) {
    List<io.dropwizard.testing.ConfigOverride> all = new ArrayList<>();
    all.add(
        io.dropwizard.testing.ConfigOverride.config(
            "database.url", "jdbc:h2:file:" + dir.resolve("db-" + name + "/ticklake")));
    all.addAll(List.of(more));
    return TestApps.app(dir, all.toArray(io.dropwizard.testing.ConfigOverride[]::new));
  }

  /** An answer: status and body (parsed when JSON). */
  record Answer(int status, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text, e);
      }
    }
  }

  static Answer send(String method, String url, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
