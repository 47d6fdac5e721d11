package dev.ticklake.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {
  @TempDir Path logs;

  /** A stand-in server: listens on a free port, prints it, serves until killed. */
  public static final class ListenMain {
    public static void main(String[] args) throws Exception {
      try (ServerSocket socket = new ServerSocket(0)) {
        System.out.println("port " + socket.getLocalPort());
        System.out.flush();
        while (true) {
          socket.accept().close();
        }
      }
    }
  }

  /** A server that fails at start-up. */
  public static final class FailingMain {
    public static void main(String[] args) {
      System.out.println("bad configuration: no port");
      System.exit(3);
    }
  }

  @Test
  void startsAJvmWritesItsPidAndLogAndStopsIt() throws Exception {
    ServerProcess server = start("listener", ListenMain.class);
    server.awaitReady(Duration.ofSeconds(30), "a port", () -> port(server) > 0);
    assertThat(ServerProcess.listening(port(server))).isTrue();
    assertThat(Files.readString(logs.resolve("listener.pid")))
        .isEqualTo(Long.toString(server.pid()));
    assertThat(ServerProcess.running(logs.resolve("listener.pid"))).isPresent();

    server.kill();

    assertThat(server.isAlive()).isFalse();
    assertThat(ServerProcess.running(logs.resolve("listener.pid"))).isEmpty();
  }

  @Test
  void aServerThatExitsAtStartUpFailsTheWaitWithTheEndOfItsLog() {
    ServerProcess server = start("failing", FailingMain.class);

    assertThatThrownBy(() -> server.awaitReady(Duration.ofSeconds(30), "a port", () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failing exited with code 3 before a port")
        .hasMessageContaining("bad configuration: no port");
  }

  private ServerProcess start(String name, Class<?> main) {
    // The launcher's own module as the anchor (its classpath file is empty: JDK only), with the
    // test classes first for the stand-in mains.
    String testClasses =
        Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    return ServerProcess.java(name, ServerProcess.class, main.getName())
        .classpathFirst(testClasses)
        .logDirectory(logs)
        .start();
  }

  private static int port(ServerProcess server) {
    return server
        .logTail(5)
        .lines()
        .filter(line -> line.startsWith("port "))
        .mapToInt(line -> Integer.parseInt(line.substring(5).trim()))
        .findFirst()
        .orElse(-1);
  }
}
