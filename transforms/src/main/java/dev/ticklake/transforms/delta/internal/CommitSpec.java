package dev.ticklake.transforms.delta.internal;

import dev.ticklake.schemas.catalog.WriteMode;
import java.io.Serializable;
import java.util.Map;

/**
 * Everything one table's commit of a batch needs, as configured by a {@code DeltaWrite}.
 *
 * @param location the table's location
 * @param tableName the name in messages and metrics
 * @param hadoopSettings extra Hadoop settings the table is opened with
 * @param mode how the batch lands
 * @param layout schema, partition and key columns
 * @param allowSchemaEvolution whether new nullable columns may be added
 * @param transactions the {@code SetTransaction}s committed with the data
 * @param commitInfo the commit's {@code userMetadata}
 * @param maxAttempts commit attempts against non-conflicting concurrent commits
 * @param backoffMillis the first backoff between attempts
 */
public record CommitSpec(
    String location,
    String tableName,
    Map<String, String> hadoopSettings,
    WriteMode mode,
    TableLayout layout,
    boolean allowSchemaEvolution,
    Map<String, Long> transactions,
    Map<String, String> commitInfo,
    int maxAttempts,
    long backoffMillis)
    implements Serializable {}
