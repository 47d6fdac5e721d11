package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every error is JSON of one shape, {@code {"code", "message"}}: Jetty's own 400 for a URI it
 * cannot parse, the log endpoint's 404, and a 400 (not Jersey's 404) for a malformed number.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HttpErrorsTest {

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(dir(), ConfigOverride.config("scheduler.enabled", "false"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-errors");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"), "dag_id: hello\ntasks:\n  - {task_id: a, pipeline: noop}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + "/api/v1" + path;
  }

  private static JsonNode error(HttpResponse<String> r, int status) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asInt()).isEqualTo(status);
    return body;
  }

  @Test
  void aMissingLogIsAJson404() throws IOException {
    JsonNode body = error(Http.send("GET", url("/runs/nope/tasks/a/logs/1"), null, null), 404);
    assertThat(body.get("message").asText()).isEqualTo("no log for nope/a try 1");
  }

  @Test
  void malformedNumbersAreA400WithWhatIsAccepted() throws IOException {
    assertThat(
            error(Http.send("GET", url("/runs/nope/tasks/a/logs/x"), null, null), 400)
                .get("message")
                .asText())
        .isEqualTo("try must be a whole number, got 'x'");
    assertThat(
            error(Http.send("GET", url("/dags/hello/runs?limit=ten"), null, null), 400)
                .get("message")
                .asText())
        .isEqualTo("limit must be a whole number, got 'ten'");
    assertThat(
            error(Http.send("GET", url("/dags/hello/runs?limit=0"), null, null), 400)
                .get("message")
                .asText())
        .isEqualTo("limit must be between 1 and 1000, got 0");
    assertThat(
            error(Http.send("GET", url("/backfills?limit=5000"), null, null), 400)
                .get("message")
                .asText())
        .isEqualTo("limit must be between 1 and 1000, got 5000");
  }

  @Test
  void jettysOwnBadRequestIsJsonToo() throws IOException {
    String raw = rawGet("/api/v1/dags/%zz");
    assertThat(raw).startsWith("HTTP/1.1 400");
    assertThat(raw.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
    JsonNode body = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
    assertThat(body.get("code").asInt()).isEqualTo(400);
    assertThat(body.get("message").asText()).isNotBlank();
  }

  private static String rawGet(String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
