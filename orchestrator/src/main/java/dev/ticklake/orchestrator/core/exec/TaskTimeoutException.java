package dev.ticklake.orchestrator.core.exec;

import java.time.Duration;

/** A try ran longer than its {@code execution_timeout}. Retryable, as in Airflow. */
public class TaskTimeoutException extends RuntimeException {
  public TaskTimeoutException(Duration timeout, boolean abandoned) {
    super(
        "execution_timeout of "
            + timeout
            + " exceeded"
            + (abandoned
                ? "; the worker thread did not stop when interrupted and was abandoned"
                : ""));
  }

  /** Timed out; {@code what} says what was done about it (e.g. the child JVM was killed). */
  public TaskTimeoutException(Duration timeout, String what) {
    super("execution_timeout of " + timeout + " exceeded; " + what);
  }
}
