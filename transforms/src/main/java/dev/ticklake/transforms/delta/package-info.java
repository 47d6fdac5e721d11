/**
 * DeltaIO: an exactly-once Delta Lake sink and source for Apache Beam, usable by any Beam user with
 * or without TickLake's table catalog. This package is the whole public API:
 *
 * <ul>
 *   <li>{@link dev.ticklake.transforms.delta.DeltaIO}: the entry points {@code write()} ({@link
 *       dev.ticklake.transforms.delta.DeltaWrite}), {@code read()} ({@link
 *       dev.ticklake.transforms.delta.DeltaRead}), {@code readPartitions()} ({@link
 *       dev.ticklake.transforms.delta.ReadPartitions}) and {@code commitInOrder(writes)} ({@link
 *       dev.ticklake.transforms.delta.CommitInOrder}, several tables of one batch committed in
 *       order);
 *   <li>{@link dev.ticklake.transforms.delta.DeltaTableSpec}: the table a transform reads or writes
 *       (location, name, schema, partition and key columns, write mode); the transforms take a
 *       spec, never a catalog ({@code dev.ticklake.transforms.catalog.CatalogTables} adapts
 *       TickLake's catalog);
 *   <li>{@link dev.ticklake.transforms.delta.DeltaTable} (the log: versions, source positions, file
 *       lists) and its {@link dev.ticklake.transforms.delta.DeltaScan} (plain, non-Beam reads of a
 *       snapshot's rows), {@link dev.ticklake.transforms.delta.DeltaMaintenance} (compaction,
 *       vacuum);
 *   <li>results and errors: {@link dev.ticklake.transforms.delta.CommitOutcome}, {@link
 *       dev.ticklake.transforms.delta.CommitReport}, {@link
 *       dev.ticklake.transforms.delta.DeltaConflictException}, {@link
 *       dev.ticklake.transforms.delta.DeltaSchemaMismatchException}, {@link
 *       dev.ticklake.transforms.delta.DeltaBatchRetry};
 *   <li>hooks for callers that go beyond Avro records: {@link
 *       dev.ticklake.transforms.delta.DataFileReader} (read files into a compact type), {@link
 *       dev.ticklake.transforms.delta.PrimitiveFields} (write rows without boxing), {@link
 *       dev.ticklake.transforms.delta.InsertOnlyMerge} and {@link
 *       dev.ticklake.transforms.delta.DataFileAction} (building blocks of a keyed DoFn whose files
 *       {@code commitInOrder} commits).
 * </ul>
 *
 * <p>Builders are immutable: every {@code withX} returns a new value and rejects an invalid
 * argument at once with an {@link java.lang.IllegalArgumentException} naming the setting.
 *
 * <p>Packaging: DeltaIO stays in the {@code ticklake-transforms} artifact for now. Its only
 * TickLake dependency is the {@code WriteMode} enum of {@code ticklake-schemas}, and the package
 * has no other user yet; a module of its own would add a release unit for no consumer. The boundary
 * is kept so that a split is mechanical: nothing outside these two packages reaches into {@code
 * delta.internal} except through the documented hooks (see its package documentation).
 */
package dev.ticklake.transforms.delta;
