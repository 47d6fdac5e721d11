package dev.ticklake.orchestrator.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code GET /api/v1/version}: the service name and the Maven project version it was built from
 * ({@code dev} when the build did not record one). Read-only, no authentication.
 */
@Path("/api/v1/version")
@Produces(MediaType.APPLICATION_JSON)
public final class VersionResource {

  /** The response body, e.g. {@code {"name":"ticklake","version":"0.1.0-SNAPSHOT"}}. */
  public record VersionInfo(String name, String version) {}

  /**
   * Written by Maven resource filtering at build time (orchestrator/pom.xml names this path); an
   * absolute name, since this class left the package the file lives in.
   */
  private static final String VERSION_RESOURCE =
      "/dev/ticklake/orchestrator/ticklake-version.properties";

  public static final String UNKNOWN_VERSION = "dev";

  private final VersionInfo info;

  public VersionResource(String name, String version) {
    this.info = new VersionInfo(name, version);
  }

  @GET
  public VersionInfo version() {
    return info;
  }

  /** The project version recorded at build time, or {@value #UNKNOWN_VERSION}. */
  public static String buildVersion() {
    try (InputStream in = VersionResource.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        return UNKNOWN_VERSION;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      // An unfiltered "${project.version}" means the resource was copied without Maven.
      return version.isEmpty() || version.startsWith("${") ? UNKNOWN_VERSION : version;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + VERSION_RESOURCE, e);
    }
  }
}
