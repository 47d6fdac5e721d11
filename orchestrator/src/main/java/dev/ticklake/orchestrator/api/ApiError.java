package dev.ticklake.orchestrator.api;

/** Every error answer of the API: {@code {"code": 404, "message": "no DAG 'x'"}}. */
public record ApiError(int code, String message) {}
