package dev.ticklake.orchestrator.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The nice value of a pipeline try's thread: set on it and inherited by the threads it starts. */
class WorkerPriorityTest {

  @Test
  void aNicedThreadAndTheThreadsItStartsRunAtThatNiceTheOthersDoNot() throws Exception {
    assumeTrue(WorkerPriority.currentThreadId().isPresent(), "Linux only (/proc/thread-self)");
    Optional<Integer> before = WorkerPriority.currentNice();
    assumeTrue(before.isPresent() && before.get() < 7, "the test thread runs below nice 7");
    AtomicReference<Boolean> set = new AtomicReference<>();
    AtomicReference<Optional<Integer>> niced = new AtomicReference<>();
    AtomicReference<Optional<Integer>> child = new AtomicReference<>();

    Thread worker =
        new Thread(
            () -> {
              set.set(WorkerPriority.lowerCurrentThread(7));
              niced.set(WorkerPriority.currentNice());
              Thread started = new Thread(() -> child.set(WorkerPriority.currentNice()));
              started.start();
              join(started);
            });
    worker.start();
    worker.join();

    assertThat(set.get()).isTrue();
    assertThat(niced.get()).contains(7);
    assertThat(child.get()).as("inherited by a thread it starts").contains(7);
    assertThat(WorkerPriority.currentNice()).as("the caller's own thread").isEqualTo(before);
  }

  @Test
  void zeroLeavesThePriorityAlone() {
    Optional<Integer> before = WorkerPriority.currentNice();
    assertThat(WorkerPriority.lowerCurrentThread(0)).isFalse();
    assertThat(WorkerPriority.currentNice()).isEqualTo(before);
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
