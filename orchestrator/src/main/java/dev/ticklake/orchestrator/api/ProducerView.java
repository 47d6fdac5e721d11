package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ticklake.orchestrator.core.lineage.Dataset;

/** The answer of {@code GET /api/v1/lineage/producer}: the try's fields, then what it wrote. */
public record ProducerView(@JsonUnwrapped TryView producer, Dataset dataset, String version) {}
