package dev.ticklake.orchestrator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The Grafana JSON datasource contract ({@code contracts/grafana-json-datasource.openapi.yaml}, a
 * verbatim copy of {@code shared/specs}), checked with networknt's OpenAPI 3.0 schema dialect:
 * request bodies against each operation's {@code requestBody} schema, 200 bodies against its
 * response schema ({@code $ref}s resolved within the document).
 *
 * <p>One correction is applied, and {@link #tableRowsDefect()} proves it is still needed: the
 * spec's table case declares {@code rows.items} as a string or a number, while its own example and
 * the plugin use rows that are arrays of cells ({@code [[1557385723416,"SE",123]]}). Here a row is
 * an array of strings, numbers or nulls.
 */
final class GrafanaContract {
  static final String RESOURCE = "/contracts/grafana-json-datasource.openapi.yaml";
  private static final String URI = "https://ticklake.dev/contracts/grafana-json-datasource.json";
  private static final String ROWS =
      "/paths/~1query/post/responses/200/content/application~1json/schema/items/anyOf/1/properties/rows";

  private final JsonNode spec;
  private final SchemaRegistry registry;

  GrafanaContract(boolean corrected) {
    this.spec = load();
    if (corrected) {
      ObjectNode rows = (ObjectNode) spec.at(ROWS);
      ObjectNode row = new ObjectMapper().createObjectNode().put("type", "array");
      ArrayNode cell = row.putObject("items").putArray("anyOf");
      cell.addObject().put("type", "string").put("nullable", true);
      cell.addObject().put("type", "number");
      rows.set("items", row);
    }
    String json;
    try {
      json = new ObjectMapper().writeValueAsString(spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.registry =
        SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi30(), b -> b.schemas(Map.of(URI, json)));
  }

  static GrafanaContract corrected() {
    return new GrafanaContract(true);
  }

  static GrafanaContract asPublished() {
    return new GrafanaContract(false);
  }

  /** The spec's {@code rows.items}, as published. */
  static JsonNode tableRowsDefect() {
    return load().at(ROWS + "/items");
  }

  /** The operation paths of the spec (e.g. {@code /query}). */
  List<String> paths() {
    return iterable(spec.get("paths").fieldNames());
  }

  /** Violations of {@code body} against the request schema of {@code method path}. */
  List<String> requestErrors(String method, String path, JsonNode body) {
    return errors(pointer(path, method) + "/requestBody/content/application~1json/schema", body);
  }

  /** Violations of a 200 {@code body} against the response schema of {@code method path}. */
  List<String> responseErrors(String method, String path, JsonNode body) {
    String at = pointer(path, method) + "/responses/200/content/application~1json/schema";
    if (spec.at(at).isMissingNode()) {
      return List.of(); // the spec declares no body for this 200 (GET /, /tag-values)
    }
    return errors(at, body);
  }

  void assertRequest(String method, String path, JsonNode body) {
    assertThat(requestErrors(method, path, body))
        .as("request of %s %s: %s", method, path, body)
        .isEmpty();
  }

  void assertResponse(String method, String path, JsonNode body) {
    assertThat(responseErrors(method, path, body))
        .as("200 response of %s %s", method, path)
        .isEmpty();
  }

  private List<String> errors(String pointer, JsonNode body) {
    assertThat(spec.at(pointer).isMissingNode()).as("spec has %s", pointer).isFalse();
    Schema schema = registry.getSchema(SchemaLocation.of(URI + "#" + pointer));
    return schema.validate(body).stream().map(Error::toString).toList();
  }

  private static String pointer(String path, String method) {
    return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase();
  }

  private static JsonNode load() {
    try (InputStream in = GrafanaContract.class.getResourceAsStream(RESOURCE)) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
