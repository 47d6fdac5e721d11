package dev.ticklake.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A jar holding only a manifest, staged with the jobs of a Flink cluster that already has
 * TickLake's job jar on its classpath (its {@code lib/} folder, as {@code ci/flink-cluster.sh} sets
 * it up): the 241 MB job jar is then not uploaded, hashed and fetched by every TaskManager for each
 * job. Something must be staged: given no file, Beam stages the client's whole classpath instead.
 */
public final class PlaceholderJobJar {
  private static Path path;

  private PlaceholderJobJar() {}

  /** The placeholder, written once per JVM to the temp folder. */
  public static synchronized Path path() {
    if (path == null || !Files.isRegularFile(path)) {
      try {
        Path jar = Files.createTempFile("ticklake-placeholder-", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
            JarOutputStream unused = new JarOutputStream(out, manifest)) {
          // the manifest is the whole content
        }
        path = jar;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the placeholder job jar", e);
      }
    }
    return path;
  }
}
