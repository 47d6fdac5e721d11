package dev.ticklake.orchestrator.db;

import java.time.Instant;

/** The last sign of life of one scheduler process. */
public record SchedulerHeartbeat(String schedulerId, String host, long pid, Instant heartbeatAt) {}
