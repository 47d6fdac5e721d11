package dev.ticklake.orchestrator.core.lineage;

import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.NoopTransport;
import io.openlineage.client.transports.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** The openlineage-java transport for {@link LineageSettings}. */
public final class LineageTransports {
  private LineageTransports() {}

  public static Transport create(LineageSettings s) {
    return switch (s.transport()) {
      case "http" -> {
        HttpConfig config = new HttpConfig();
        config.setUrl(URI.create(s.url()));
        config.setEndpoint(s.endpoint());
        config.setTimeoutInMillis((int) s.timeout().toMillis());
        if (!s.apiKey().isEmpty()) {
          ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
          auth.setApiKey(s.apiKey());
          config.setAuth(auth);
        }
        yield new HttpTransport(config);
      }
      case "file" -> {
        Path file = s.file().toAbsolutePath();
        try {
          Files.createDirectories(file.getParent());
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot create the folder of lineage.file " + file + ": " + e.getMessage(), e);
        }
        yield new FileTransport(new FileConfig(file.toString()));
      }
      default -> new NoopTransport();
    };
  }
}
