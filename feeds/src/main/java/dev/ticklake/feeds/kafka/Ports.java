package dev.ticklake.feeds.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free-port lookup and port checks on 127.0.0.1 for {@link EmbeddedKafka}. */
final class Ports {
  private Ports() {}

  static String portInUseMessage(int port, String setting) {
    return "port " + port + " is in use; set " + setting + " or stop the other broker";
  }

  static void checkFree(int port, String setting) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException(portInUseMessage(port, setting), e);
    }
  }

  static int freePort(int... avoid) {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (avoid.length == 0 || avoid[0] != port) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("Cannot find two distinct free ports on 127.0.0.1");
  }
}
