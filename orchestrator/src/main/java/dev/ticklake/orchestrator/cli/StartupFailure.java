package dev.ticklake.orchestrator.cli;

import io.dropwizard.configuration.ConfigurationException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * A start-up failure the user can fix from its message alone (a port in use, and which setting or
 * environment variable moves it; an invalid configuration, like Dropwizard's own errors): {@code
 * server} and {@code demo} print it as one line, without a stack trace, and exit with status 1.
 */
public final class StartupFailure extends RuntimeException {

  public StartupFailure(String message) {
    super(message);
  }

  /** A port the service is about to listen on, and how a user moves it. */
  public record Port(String what, String host, int port, String setting, String environment) {

    /** Fails now, with a clear message, when this port is already taken. Port 0 always passes. */
    public void checkFree() {
      if (port == 0) {
        return;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(
            new InetSocketAddress(
                host == null || host.isBlank() ? null : InetAddress.getByName(host), port));
      } catch (BindException e) {
        throw inUse();
      } catch (IOException e) {
        throw new StartupFailure(
            "cannot listen on " + where() + " for the " + what + ": " + e.getMessage());
      }
    }

    StartupFailure inUse() {
      String how = environment.equals(setting) ? setting : environment + " (or " + setting + ")";
      return new StartupFailure(
          "port %d (%s, %s) is in use: set %s to a free port, or stop the process that holds it"
              .formatted(port, what, where(), how));
    }

    private String where() {
      return (host == null || host.isBlank() ? "0.0.0.0" : host) + ":" + port;
    }
  }

  /** The one-line message for a start-up error, if it is one a user can act on. */
  public static Optional<String> userMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StartupFailure || t instanceof ConfigurationException) {
        return Optional.of(t.getMessage().strip());
      }
      if (t instanceof BindException || (t instanceof IOException && isBindMessage(t))) {
        return Optional.of(
            t.getMessage()
                + ": a port is in use; set TICKLAKE_HTTP_PORT, TICKLAKE_ADMIN_PORT or"
                + " TICKLAKE_DEMO_KAFKA_PORT to a free port, or stop the process that holds it");
      }
    }
    return Optional.empty();
  }

  private static boolean isBindMessage(Throwable t) {
    return t.getMessage() != null && t.getMessage().startsWith("Failed to bind");
  }
}
