package dev.ticklake.orchestrator.db;

import java.time.Instant;

/** A DAG as the database knows it: whether it is paused, and which file version was loaded. */
public record DagRecord(
    String dagId, boolean paused, String file, String definitionHash, Instant loadedAt) {}
