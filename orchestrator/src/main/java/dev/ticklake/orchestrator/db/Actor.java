package dev.ticklake.orchestrator.db;

import java.util.Objects;

/**
 * Who changed a task instance's state, as recorded in {@code task_event.actor}: {@code scheduler},
 * {@code user:<name>} or {@code token:<first 4 chars>…} (an authenticated REST API caller), {@code
 * api:<user>}, {@code worker} or {@code recovery}.
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

  /** A user authenticated with basic auth (user name and password) through the REST API. */
  public static Actor user(String name) {
    return new Actor("user:" + name);
  }

  /**
   * A caller authenticated with a bearer token: only the token's first 4 characters are recorded,
   * enough to tell tokens apart without writing a secret to the event log.
   */
  public static Actor token(String token) {
    return new Actor("token:" + token.substring(0, Math.min(4, token.length())) + "…");
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
