/**
 * DeltaIO's implementation: the commit steps ({@code DeltaCommitter}, {@code TableCommit}, {@code
 * CommitBatchFn}, {@code CommitInOrderFn}), the workers' writers ({@code WriteDataFilesFn}, {@code
 * MergeIntoPartitionFn}, and {@code RollingParquetWriter}, the one place rows become Parquet
 * files), the readers ({@code ReadDataFilesFn}, {@code ParquetDataFiles}), statistics and schemas,
 * the per-JVM log cache ({@code DeltaLogs}) and the local log store ({@code AtomicLocalLogStore},
 * named by class in the Hadoop setting {@code delta.logStore.file.impl}).
 *
 * <p>Not an API: classes here are public only because the public package uses them across the
 * package boundary, and they change without notice. One exception is a documented hook: {@link
 * dev.ticklake.transforms.delta.internal.ProjectedParquetFiles} is the toolkit with which a {@link
 * dev.ticklake.transforms.delta.DataFileReader} reads a few columns straight from Parquet (used by
 * Silver's and Gold's file readers); it stays here because it exposes Parquet's converter API,
 * which the public package does not.
 */
package dev.ticklake.transforms.delta.internal;
