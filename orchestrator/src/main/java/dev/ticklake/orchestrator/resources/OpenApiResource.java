package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hand-written OpenAPI 3 description of the REST API ({@value #RESOURCE}), served as YAML and
 * as JSON. Read and checked once at startup: a missing or malformed file fails the start.
 */
@Path("/api/v1")
public final class OpenApiResource {

  public static final String RESOURCE = "/openapi/ticklake-api.yaml";

  private final String yaml;
  private final String json;

  public OpenApiResource(ObjectMapper jsonMapper) {
    this.yaml = load();
    try {
      JsonNode tree = new YAMLMapper().readTree(yaml);
      if (tree == null || !tree.has("openapi") || !tree.has("paths")) {
        throw new IllegalStateException(RESOURCE + " is not an OpenAPI description");
      }
      this.json = jsonMapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + RESOURCE, e);
    }
  }

  /** The spec's text as shipped in the jar. */
  public static String load() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @GET
  @Path("openapi.yaml")
  @Produces({"application/yaml", MediaType.TEXT_PLAIN})
  public String yaml() {
    return yaml;
  }

  @GET
  @Path("openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  public String json() {
    return json;
  }
}
