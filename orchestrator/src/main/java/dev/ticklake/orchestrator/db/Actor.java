package dev.ticklake.orchestrator.db;

import java.util.Objects;

/**
 * Who changed a task instance's state, as recorded in {@code task_event.actor}: {@code scheduler},
 * {@code api:<user>}, {@code worker} or {@code recovery}.
 */
public record Actor(String name) {

  public static final Actor SCHEDULER = new Actor("scheduler");
  public static final Actor WORKER = new Actor("worker");

  /** The startup pass that repairs task instances left behind by a crashed process. */
  public static final Actor RECOVERY = new Actor("recovery");

  public Actor {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a name");
    }
  }

  /** A user acting through the REST API. */
  public static Actor api(String user) {
    return new Actor("api:" + user);
  }

  @Override
  public String toString() {
    return name;
  }
}
