package dev.ticklake.servers.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkSessionClusterIT {

  @TempDir Path home;

  @Test
  void startsTwoTaskManagersRefusesASecondStartAndStops() throws Exception {
    FlinkClusterSettings settings = FlinkClusterSettings.defaults(home);
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(settings)) {
      assertThat(cluster.registeredTaskManagers()).isEqualTo(OptionalInt.of(2));
      assertThat(Files.readString(settings.masterFile())).isEqualTo(cluster.master());
      assertThat(FlinkSessionCluster.overview(cluster.master()).orElseThrow())
          .contains("\"slots-total\":2");
      // the web UI is served, not only the REST API
      assertThat(
              java.net.http.HttpClient.newHttpClient()
                  .send(
                      java.net.http.HttpRequest.newBuilder(cluster.webUi()).build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body())
          .contains("<html");
      assertThatThrownBy(() -> FlinkSessionCluster.start(settings))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already runs");

      cluster.killTaskManager(2);
      assertThat(cluster.taskManager(2).isAlive()).isFalse();
      cluster.restartTaskManager(2);
      cluster.awaitTaskManagers(2);
    }
    assertThat(FlinkSessionCluster.running(settings)).isEmpty();
    assertThat(settings.masterFile()).doesNotExist();
  }
}
