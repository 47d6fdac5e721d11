package dev.ticklake.orchestrator.core.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told when a try starts and ends, whatever executor runs it. Called on the scheduler's or a
 * worker's thread, so implementations must return quickly; what they throw is logged and ignored
 * (see {@link #safe}), never failing the try.
 */
public interface TaskLifecycleListener {

  /** A listener that does nothing. */
  TaskLifecycleListener NONE =
      new TaskLifecycleListener() {
        @Override
        public void onStart(String dagId, TaskRun run) {}

        @Override
        public void onFinish(String dagId, TaskRun run, TaskResult result) {}
      };

  /** The try is running (its state is {@code running}); called before the pipeline starts. */
  void onStart(String dagId, TaskRun run);

  /** The try ended; called before its end state is recorded. */
  void onFinish(String dagId, TaskRun run, TaskResult result);

  /** {@code listener}, with whatever it throws logged instead of thrown. */
  static TaskLifecycleListener safe(TaskLifecycleListener listener) {
    Logger log = LoggerFactory.getLogger(TaskLifecycleListener.class);
    return new TaskLifecycleListener() {
      @Override
      public void onStart(String dagId, TaskRun run) {
        try {
          listener.onStart(dagId, run);
        } catch (RuntimeException e) {
          log.warn("lifecycle listener failed at the start of {}; ignored", run.key(), e);
        }
      }

      @Override
      public void onFinish(String dagId, TaskRun run, TaskResult result) {
        try {
          listener.onFinish(dagId, run, result);
        } catch (RuntimeException e) {
          log.warn("lifecycle listener failed at the end of {}; ignored", run.key(), e);
        }
      }
    };
  }
}
