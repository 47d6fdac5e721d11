package dev.ticklake.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.orchestrator.TickLakeApplication;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server} and {@code demo} on a taken port, as a user starts them (a child JVM): one line
 * that names the variable to change, no stack trace, exit status 1, before anything else starts.
 */
class StartupFailureIT {

  @TempDir Path tmp;

  @Test
  void aTakenApiPortNamesTheVariableInOneLine() throws Exception {
    try (ServerSocket taken = listen()) {
      int port = taken.getLocalPort();
      Result r = start("server", Map.of("TICKLAKE_HTTP_PORT", String.valueOf(port)));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.lines())
          .containsExactly(
              "ticklake server: port "
                  + port
                  + " (API, 127.0.0.1:"
                  + port
                  + ") is in use: set TICKLAKE_HTTP_PORT (or"
                  + " server.applicationConnectors[0].port) to a free port, or stop the process"
                  + " that holds it");
    }
  }

  @Test
  void aTakenKafkaPortOfTheDemoNamesItsVariable() throws Exception {
    try (ServerSocket taken = listen()) {
      int port = taken.getLocalPort();
      Result r = start("demo", Map.of("TICKLAKE_DEMO_KAFKA_PORT", String.valueOf(port)));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.lines())
          .containsExactly(
              "ticklake demo: port "
                  + port
                  + " (demo's Kafka broker, 127.0.0.1:"
                  + port
                  + ") is in use: set TICKLAKE_DEMO_KAFKA_PORT (or demo.kafkaPort) to a free port,"
                  + " or stop the process that holds it");
      assertThat(tmp.resolve("data")).as("nothing started, nothing written").doesNotExist();
    }
  }

  @Test
  void anInvalidSettingIsReportedWithoutAStackTrace() throws Exception {
    Result r = start("demo", Map.of("TICKLAKE_DEMO_FEED", "sometimes"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.lines())
        .containsExactly(
            "ticklake demo: ticklake.yml has an error:", "  * demo.feed must be on or off");
  }

  private static ServerSocket listen() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  private Result start(String command, Map<String, String> environment) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(TickLakeApplication.class.getName());
    cmd.add(command);
    Path out = tmp.resolve("out.txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    // Free ports for everything but the port under test.
    pb.environment().put("TICKLAKE_HTTP_PORT", "0");
    pb.environment().put("TICKLAKE_ADMIN_PORT", "0");
    pb.environment().put("TICKLAKE_DEMO_KAFKA_PORT", "0");
    pb.environment().putAll(environment);
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command + " ended").isTrue();
      return new Result(p.exitValue(), Files.readAllLines(out));
    } finally {
      p.destroyForcibly();
    }
  }

  private record Result(int exitCode, List<String> lines) {}
}
