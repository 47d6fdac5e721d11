package dev.ticklake.orchestrator.db;

/** The run for a (dag, logical time, run type) and whether this call created it. */
public record CreatedRun(DagRun run, boolean created) {}
