package dev.ticklake.orchestrator.core.backfill;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * State of a backfill: {@code queued} when created, {@code running} once its first run exists, then
 * {@code completed} (every run succeeded), {@code failed} (every run ended and at least one failed)
 * or {@code canceled} (by the API: no new runs; runs already running finish). The three last are
 * terminal.
 */
public enum BackfillState {
  QUEUED,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELED;

  private static final Map<BackfillState, Set<BackfillState>> ALLOWED =
      Map.of(
          QUEUED, Set.of(RUNNING, CANCELED, COMPLETED, FAILED),
          RUNNING, Set.of(COMPLETED, FAILED, CANCELED),
          COMPLETED, Set.of(),
          FAILED, Set.of(),
          CANCELED, Set.of());

  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean canMoveTo(BackfillState to) {
    return ALLOWED.get(this).contains(to);
  }

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BackfillState fromDbName(String name) {
    for (BackfillState s : values()) {
      if (s.dbName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown backfill state '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(BackfillState::dbName).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return dbName();
  }
}
