package dev.ticklake.orchestrator.core.lineage;

import java.util.Objects;

/**
 * A dataset as OpenLineage names it: a {@code namespace} (where it lives: {@code file}, {@code
 * hdfs://nn:8020}, {@code s3://bucket}, {@code kafka://host:port}) and a {@code name} within it (a
 * table path, a topic). See {@link DatasetNaming} for how TickLake builds them.
 */
public record Dataset(String namespace, String name) {
  public Dataset {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (namespace.isBlank() || name.isBlank()) {
      throw new IllegalArgumentException(
          "a dataset needs a namespace and a name, got '" + namespace + "' / '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return namespace + "|" + name;
  }
}
