package dev.ticklake.orchestrator;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Opens a configuration from the file system when a file of that name exists, otherwise from the
 * classpath (so the jar's bundled {@code ticklake.yml} is the fallback). Fails with a message that
 * names both places when neither has it.
 */
final class FileOrClasspathSourceProvider implements ConfigurationSourceProvider {

  private final ConfigurationSourceProvider files = new FileConfigurationSourceProvider();
  private final ConfigurationSourceProvider resources = new ResourceConfigurationSourceProvider();

  @Override
  public InputStream open(String path) throws IOException {
    if (Files.isRegularFile(Paths.get(path))) {
      return files.open(path);
    }
    InputStream resource = resources.open(path);
    if (resource == null) {
      throw new FileNotFoundException(
          "Configuration "
              + path
              + " is neither a file (relative to "
              + Paths.get("").toAbsolutePath()
              + ") nor a classpath resource; pass an existing YAML file to the command");
    }
    return resource;
  }
}
