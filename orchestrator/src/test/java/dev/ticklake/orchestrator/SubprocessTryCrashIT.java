package dev.ticklake.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.feeds.kafka.KafkaSettings;
import dev.ticklake.orchestrator.core.scheduler.Scheduler;
import dev.ticklake.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subprocess try when the service itself is SIGKILLed: the try's child JVM and the processes it
 * started go with it, its output (written to a file as it ran) is still the try's log after the
 * restart, with the recovery reason at its end, and the interrupted try does not use up the task's
 * retries (it has none).
 */
class SubprocessTryCrashIT {

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final List<Process> children = new ArrayList<>();
  private final List<Long> strays = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
    strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theTrysOutputSurvivesTheServiceKillAndItsProcessesDoNot() throws Exception {
    kafka = EmbeddedKafka.start();
    Path dags = Files.createDirectories(dir.resolve("dags"));
    Path pidFile = dir.resolve("sleeper.pid");
    Files.writeString(
        dags.resolve("talker.yml"),
        String.join(
            "\n",
            "dag_id: talker",
            "schedule: \"0 0 1 1 *\"",
            "start_date: 2020-01-01T00:00:00Z",
            "executor: subprocess",
            "tasks:",
            "  - task_id: talk",
            "    pipeline: spawn",
            "    retries: 0",
            "    options: {pidFile: \"" + pidFile + "\", millis: \"600000\"}",
            ""));
    Path config =
        ServiceChild.writeConfig(
            dir,
            dags,
            kafka.bootstrapServers(),
            KafkaSettings.of(kafka.bootstrapServers()).topic());

    ServiceChild first = ServiceChild.start(dir, config, null, 0, children);
    String runId =
        Await.until(
                ServiceChild.START_TIMEOUT,
                "the talker run",
                () -> first.get("/dags/talker/runs"),
                runs -> runs.size() == 1)
            .get(0)
            .get("runId")
            .asText();
    String started =
        Await.until(
            ServiceChild.START_TIMEOUT,
            "the try to have started its own process",
            () -> Files.exists(pidFile) ? first.log(runId, "talk", 1) : "",
            log -> log.contains("pipeline spawn"));
    long sleeper = Long.parseLong(Files.readString(pidFile).strip());
    strays.add(sleeper);
    List<ProcessHandle> tryProcesses = first.handle().descendants().toList();
    assertThat(tryProcesses).extracting(ProcessHandle::pid).contains(sleeper);
    tryProcesses.forEach(p -> strays.add(p.pid()));

    first.kill();
    Await.until(
        Duration.ofSeconds(60),
        "the try's JVM and its sleep process to go with the service",
        () -> tryProcesses.stream().filter(ProcessHandle::isAlive).toList(),
        List::isEmpty);

    ServiceChild second = ServiceChild.start(dir, config, null, 0, children);
    JsonNode talk =
        Await.until(
            ServiceChild.START_TIMEOUT,
            "the interrupted try to be recovered and tried again",
            () -> second.get("/runs/" + runId + "/tasks").get(0),
            t -> t.get("tryNumber").asInt() == 2);
    assertThat(talk.get("taskId").asText()).isEqualTo("talk");
    assertThat(talk.get("state").asText())
        .as("an interrupted try is not a failure, even without retries")
        .isIn("queued", "running", "up_for_retry");
    String log = second.log(runId, "talk", 1);
    assertThat(log)
        .as("what the try printed before the kill, then why it ended")
        .startsWith(started.substring(0, started.indexOf("pipeline spawn")))
        .contains("[ticklake] ", Scheduler.RECOVERY_REASON);
    assertThat(log.indexOf("pipeline spawn")).isLessThan(log.indexOf(Scheduler.RECOVERY_REASON));
    assertThat(second.get("/runs/" + runId + "/tasks/talk/events"))
        .anyMatch(
            e ->
                e.get("tryNumber").asInt() == 1
                    && e.get("reason").asText().startsWith(Scheduler.RECOVERY_REASON));
    second.handle().descendants().forEach(p -> strays.add(p.pid()));
    second.stop();
  }
}
