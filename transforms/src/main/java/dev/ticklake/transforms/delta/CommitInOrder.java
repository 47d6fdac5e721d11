package dev.ticklake.transforms.delta;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.delta.internal.CommitInOrderFn;
import dev.ticklake.transforms.delta.internal.TableCommit;
import dev.ticklake.transforms.delta.internal.WriteSteps;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@link DeltaIO#commitInOrder}: commits the data files of several writes of one batch (from {@link
 * DeltaWrite#dataFiles()} and {@link DeltaWrite#insertOnlyMerge()}, flattened into one collection,
 * each file keyed by its write's table name) in a single step, one Delta commit per table, in the
 * order of the writes.
 *
 * <p>Guarantees: the step runs once every file of the batch is written, so a batch that fails
 * anywhere commits nothing. Each commit carries its write's {@code SetTransaction}s (a re-run batch
 * whose positions are in a table's log is skipped for that table) and runs only after the previous
 * table's commit succeeded, so a later table is never ahead of an earlier one. A file keyed by a
 * table that none of the writes names fails the step. Output: one {@link CommitOutcome} per write,
 * in order.
 */
public final class CommitInOrder
    extends PTransform<PCollection<KV<String, DataFileAction>>, PCollection<CommitOutcome>> {
  private static final long serialVersionUID = 1L;

  private final List<TableCommit> commits;
  private final List<Long> baseVersions;
  private final List<String> description;

  private CommitInOrder(
      List<TableCommit> commits, List<Long> baseVersions, List<String> description) {
    this.commits = commits;
    this.baseVersions = baseVersions;
    this.description = description;
  }

  /**
   * The commit of {@code writes}, in order. Writes other than {@code APPEND} need {@link
   * DeltaWrite#withBaseVersion}; {@link DeltaWrite#withPartitionsToReplace} is not supported.
   */
  static CommitInOrder of(List<DeltaWrite> writes) {
    if (writes == null || writes.isEmpty()) {
      throw new IllegalArgumentException("DeltaIO.commitInOrder(): give at least one write");
    }
    List<TableCommit> commits = new ArrayList<>();
    List<Long> bases = new ArrayList<>();
    List<String> description = new ArrayList<>();
    for (DeltaWrite w : writes) {
      DeltaTableSpec table = w.table();
      if (table == null) {
        throw new IllegalArgumentException(
            "DeltaIO.commitInOrder(): a write has no table; call .to(spec) on it");
      }
      WriteOptions options = w.options();
      if (table.writeMode() != WriteMode.APPEND && options.fixedBaseVersion() == null) {
        throw new IllegalArgumentException(
            "DeltaIO.commitInOrder(): the write to " + table.name() + " needs withBaseVersion(v)");
      }
      if (options.partitionsToReplace() != null) {
        throw new IllegalArgumentException(
            "DeltaIO.commitInOrder(): withPartitionsToReplace() is not supported");
      }
      commits.add(w.tableCommit(w.layout()));
      bases.add(options.fixedBase());
      description.add(
          table.name()
              + " ("
              + table.writeMode()
              + " at "
              + table.location()
              + ", app ids "
              + options.transactions().keySet()
              + ")");
    }
    return new CommitInOrder(List.copyOf(commits), List.copyOf(bases), List.copyOf(description));
  }

  @Override
  public PCollection<CommitOutcome> expand(PCollection<KV<String, DataFileAction>> files) {
    Coder<KV<String, DataFileAction>> coder =
        KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DataFileAction.class));
    return files
        .apply(
            "CollectFiles",
            Combine.globally(new WriteSteps.CollectFn<KV<String, DataFileAction>>()))
        .setCoder(ListCoder.of(coder))
        .apply("CommitInOrder", ParDo.of(new CommitInOrderFn(commits, baseVersions)))
        .setCoder(SerializableCoder.of(CommitOutcome.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    for (int i = 0; i < description.size(); i++) {
      builder.add(
          DisplayData.item("commit" + (i + 1), description.get(i))
              .withLabel("Commit " + (i + 1) + " of " + description.size()));
    }
  }
}
