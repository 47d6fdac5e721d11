package dev.ticklake.orchestrator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.orchestrator.db.Jdbis;
import dev.ticklake.orchestrator.db.TaskEvent;
import dev.ticklake.orchestrator.db.TaskInstanceDao;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authentication of every mutating endpoint, found by reflection (so endpoints added later are
 * covered), and the OpenAPI description's coverage of every resource method.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiAuthTest {

  private static final Path DIR = dir();
  private static final String DB_URL = "jdbc:h2:file:" + DIR.resolve("db/ticklake");

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(
          DIR,
          ConfigOverride.config("scheduler.enabled", "false"),
          ConfigOverride.config("auth.apiTokens", "tok-alpha, tok-beta"));

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-auth");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(
          d.resolve("dags/hello.yml"), "dag_id: hello\ntasks:\n  - {task_id: a, pipeline: noop}\n");
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return "http://localhost:" + APP.getLocalPort() + path;
  }

  private static List<ResourceMethods> resourceMethods() {
    return ResourceMethods.of(APP.getEnvironment().jersey().getResourceConfig());
  }

  /**
   * Mutating methods under {@code /api/} need credentials; the Grafana JSON datasource's POSTs
   * ({@code /grafana/...}) are reads by its contract and stay open.
   */
  private static boolean guarded(ResourceMethods m) {
    return m.mutating() && m.path().startsWith("/api/");
  }

  private static final String[][] BAD_CREDENTIALS = {
    {"no credentials", null},
    {"wrong password", Http.basic("admin", "test-pasS")},
    {"wrong user", Http.basic("root", "test-pass")},
    {"empty password", Http.basic("admin", "")},
    {"wrong token", "Bearer tok-gamma"},
    {"password as token", "Bearer test-pass"},
    {"token as password", Http.basic("admin", "tok-alpha")},
    {"unknown scheme", "Digest username=\"admin\""},
  };

  @TestFactory
  Stream<DynamicTest> everyMutatingEndpointAnswers401WithoutValidCredentials() {
    List<ResourceMethods> mutating =
        resourceMethods().stream().filter(ApiAuthTest::guarded).toList();
    // the reflection found the endpoints known today (later ones join the table by themselves)
    assertThat(mutating)
        .extracting(m -> m.httpMethod() + " " + m.path())
        .contains(
            "POST /api/v1/dags/{dagId}/runs",
            "PATCH /api/v1/dags/{dagId}",
            "POST /api/v1/dags/{dagId}/runs/{runId}/clear",
            "POST /api/v1/runs/{runId}/cancel",
            "POST /api/v1/runs/{runId}/tasks/{taskId}/cancel");
    List<DynamicTest> tests = new ArrayList<>();
    for (ResourceMethods m : mutating) {
      for (String[] bad : BAD_CREDENTIALS) {
        tests.add(
            DynamicTest.dynamicTest(
                m.httpMethod() + " " + m.path() + ", " + bad[0],
                () -> {
                  HttpResponse<String> r =
                      Http.send(m.httpMethod(), url(m.concretePath()), "{}", bad[1]);
                  assertThat(r.statusCode()).isEqualTo(401);
                  assertThat(r.headers().allValues("WWW-Authenticate"))
                      .containsExactly(
                          "Basic realm=\"ticklake\", charset=\"UTF-8\"",
                          "Bearer realm=\"ticklake\"");
                  assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
                  JsonNode body = new ObjectMapper().readTree(r.body());
                  assertThat(body.get("code").asInt()).isEqualTo(401);
                  assertThat(body.get("message").asText())
                      .startsWith(
                          bad[1] == null ? "authentication required for " : "invalid credentials: ")
                      .endsWith(
                          "send 'Authorization: Basic base64(admin:<password>)'"
                              + " (auth.adminUser/auth.adminPassword; a generated password is in"
                              + " the file named at startup) or 'Authorization: Bearer <token>'"
                              + " (one of auth.apiTokens)");
                }));
      }
    }
    // nothing was changed by any of them
    tests.add(
        DynamicTest.dynamicTest(
            "nothing changed",
            () -> {
              HttpResponse<String> dag = Http.send("GET", url("/api/v1/dags/hello"), null, null);
              assertThat(new ObjectMapper().readTree(dag.body()).get("paused").asBoolean())
                  .isFalse();
              assertThat(Http.send("GET", url("/api/v1/dags/hello/runs"), null, null).body())
                  .isEqualTo("[]");
            }));
    return tests.stream();
  }

  @Test
  void readsStayOpenAndUnknownPathsAre401NotNotFoundForMutations() {
    assertThat(Http.send("GET", url("/api/v1/dags"), null, null).statusCode()).isEqualTo(200);
    assertThat(Http.send("GET", url("/api/v1/dags"), null, "Bearer wrong").statusCode())
        .isEqualTo(200);
    assertThat(Http.send("DELETE", url("/api/v1/nothing/here"), null, null).statusCode())
        .isEqualTo(401);
    assertThat(
            Http.send("DELETE", url("/api/v1/nothing/here"), null, "Bearer tok-beta").statusCode())
        .isEqualTo(404);
  }

  @Test
  void basicAndBearerAreAcceptedAndRecordedAsTheActor() throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpResponse<String> byUser =
        Http.send("POST", url("/api/v1/dags/hello/runs"), "{}", Http.basic("admin", "test-pass"));
    assertThat(byUser.statusCode()).isEqualTo(201);
    HttpResponse<String> byToken =
        Http.send(
            "POST", url("/api/v1/dags/hello/runs"), "{\"conf\": {\"n\": 2}}", "Bearer tok-beta");
    assertThat(byToken.statusCode()).isEqualTo(201);
    HttpResponse<String> patch =
        Http.send("PATCH", url("/api/v1/dags/hello"), "{\"paused\": true}", "bearer tok-alpha");
    assertThat(patch.statusCode()).isEqualTo(200);
    assertThat(json.readTree(patch.body()).get("paused").asBoolean()).isTrue();
    assertThat(
            Http.send(
                    "PATCH",
                    url("/api/v1/dags/hello"),
                    "{\"paused\": false}",
                    Http.basic("admin", "test-pass"))
                .statusCode())
        .isEqualTo(200);

    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(DB_URL);
    ds.setUser("sa");
    TaskInstanceDao tasks = new TaskInstanceDao(Jdbis.create(ds));
    String userRun = json.readTree(byUser.body()).get("runId").asText();
    String tokenRun = json.readTree(byToken.body()).get("runId").asText();
    List<TaskEvent> userEvents = tasks.events(userRun, "a");
    List<TaskEvent> tokenEvents = tasks.events(tokenRun, "a");
    assertThat(userEvents.get(0).actor()).isEqualTo("user:admin");
    assertThat(tokenEvents.get(0).actor()).isEqualTo("token:tok-…");
  }

  @Test
  void openApiDescribesEveryResourceMethodAndNothingElse() throws Exception {
    HttpResponse<String> yaml = Http.send("GET", url("/api/v1/openapi.yaml"), null, null);
    HttpResponse<String> jsonDoc = Http.send("GET", url("/api/v1/openapi.json"), null, null);
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(jsonDoc.statusCode()).isEqualTo(200);
    assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
    JsonNode spec = new YAMLMapper().readTree(yaml.body());
    assertThat(new ObjectMapper().readTree(jsonDoc.body())).isEqualTo(spec);
    assertThat(spec.get("openapi").asText()).startsWith("3.");

    Set<String> described = new TreeSet<>();
    spec.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (Set.of(
                                  "get", "put", "post", "delete", "options", "head", "patch",
                                  "trace")
                              .contains(method)) {
                            described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    Set<String> implemented = new TreeSet<>();
    for (ResourceMethods m : resourceMethods()) {
      implemented.add(m.httpMethod() + " " + m.path());
    }
    assertThat(implemented).hasSizeGreaterThanOrEqualTo(10);
    assertThat(described).as("operations in the OpenAPI description").isEqualTo(implemented);

    // every mutating operation declares the security schemes; reads declare none
    for (ResourceMethods m : resourceMethods()) {
      JsonNode op = spec.get("paths").get(m.path()).get(m.httpMethod().toLowerCase(Locale.ROOT));
      if (guarded(m)) {
        assertThat(op.get("security")).as(m.toString()).isNotNull();
        assertThat(op.get("responses").has("401")).as(m.toString()).isTrue();
      } else {
        assertThat(op.get("security")).as(m.toString()).isNull();
      }
    }
  }
}
