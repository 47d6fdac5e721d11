package dev.ticklake.orchestrator.core.scheduler;

import java.util.NoSuchElementException;

/** A DAG id that names no loaded DAG; the message is {@code no DAG '<id>'}. */
public final class UnknownDagException extends NoSuchElementException {

  public UnknownDagException(String dagId) {
    super("no DAG '" + dagId + "'");
  }
}
