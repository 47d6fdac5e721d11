package dev.ticklake.transforms.delta.internal;

import dev.ticklake.schemas.catalog.WriteMode;
import dev.ticklake.transforms.delta.CommitOutcome;
import dev.ticklake.transforms.delta.DataFileAction;
import dev.ticklake.transforms.delta.DeltaConflictException;
import dev.ticklake.transforms.delta.DeltaSchemaMismatchException;
import dev.ticklake.transforms.util.FaultPoints;
import io.delta.standalone.CommitResult;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.FileAction;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.exceptions.ConcurrentAppendException;
import io.delta.standalone.exceptions.ConcurrentDeleteDeleteException;
import io.delta.standalone.exceptions.ConcurrentDeleteReadException;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import io.delta.standalone.expressions.Expression;
import io.delta.standalone.types.StructType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one batch's files to a Delta table as exactly one commit, together with the batch's
 * source positions ({@code SetTransaction}s).
 *
 * <ul>
 *   <li>Idempotent: when every {@code SetTransaction} of the batch is already in the log at its
 *       version or later, nothing is committed and the outcome is {@code SKIPPED}.
 *   <li>Optimistic concurrency: another writer's commit that does not touch this batch's partitions
 *       (appends, other partitions, metadata races such as two writers creating the table) is
 *       retried with exponential backoff and jitter; one that changed the partitions this batch
 *       replaces or merged into raises {@link DeltaConflictException}, so that the batch is
 *       recomputed instead of overwriting that commit.
 * </ul>
 */
public final class DeltaCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitter.class);
  public static final String ENGINE_INFO = "TickLake-DeltaIO/0.1";

  private final String location;
  private final Map<String, String> hadoopSettings;
  private final String tableName;
  private final WriteMode mode;
  private final TableLayout layout;
  private final boolean allowSchemaEvolution;
  private final Map<String, Long> transactions;
  private final Map<String, String> commitInfo;
  private final int maxAttempts;
  private final long backoffMillis;

  public DeltaCommitter(CommitSpec spec) {
    this.location = spec.location();
    this.hadoopSettings = spec.hadoopSettings();
    this.tableName = spec.tableName();
    this.mode = spec.mode();
    this.layout = spec.layout();
    this.allowSchemaEvolution = spec.allowSchemaEvolution();
    this.transactions = spec.transactions();
    this.commitInfo = spec.commitInfo();
    this.maxAttempts = spec.maxAttempts();
    this.backoffMillis = spec.backoffMillis();
  }

  /**
   * Commits {@code files} (adds, and for upserts the removals of rewritten files), computed from
   * the table as of {@code baseVersion} (-1: the table did not exist).
   */
  public CommitOutcome commit(List<DataFileAction> files, long baseVersion) throws IOException {
    return commit(files, baseVersion, List.of());
  }

  /**
   * As {@link #commit(List, long)}; in {@code REPLACE_PARTITIONS} mode {@code alsoReplaced} names
   * partitions to replace even when the batch has no file in them. The retry loop: each attempt
   * reads the latest log, skips a batch already committed, checks metadata and conflicts, builds
   * the actions and tries to commit them once.
   */
  public CommitOutcome commit(
      List<DataFileAction> files, long baseVersion, List<Map<String, String>> alsoReplaced)
      throws IOException {
    Set<Map<String, String>> partitions = partitionsOf(files, alsoReplaced);
    DeltaConcurrentModificationException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      DeltaLog log = DeltaLogs.latest(location, hadoopSettings);
      OptimisticTransaction txn = log.startTransaction();
      long readVersion = txn.readVersion();
      if (alreadyCommitted(txn)) {
        LOG.info("{}: batch {} already committed; skipped", tableName, transactions);
        return new CommitOutcome(
            tableName, CommitOutcome.Status.SKIPPED, readVersion, 0, 0, 0, attempt);
      }
      boolean metadataChanged = prepareMetadata(txn, readVersion);
      if (mode != WriteMode.APPEND && readVersion > baseVersion) {
        requireNoChangesSince(log, baseVersion, readVersion, partitions);
      }
      Actions actions = actions(txn, files, partitions);
      if (actions.list.isEmpty() && !metadataChanged) {
        return new CommitOutcome(
            tableName, CommitOutcome.Status.EMPTY, readVersion, 0, 0, 0, attempt);
      }
      try {
        return tryCommit(txn, actions, attempt);
      } catch (DeltaConcurrentModificationException e) {
        last = retryableOrThrow(e, partitions);
      }
      sleepBeforeRetry(attempt, last);
    }
    throw new DeltaConflictException(
        String.format(
            "Cannot commit to %s: %d attempts lost to concurrent writers; nothing was committed,"
                + " re-run the batch",
            tableName, maxAttempts),
        last);
  }

  /** The partitions the batch writes to, plus those it also replaces (checked to name them all). */
  private Set<Map<String, String>> partitionsOf(
      List<DataFileAction> files, List<Map<String, String>> alsoReplaced) {
    Set<Map<String, String>> partitions = new LinkedHashSet<>();
    for (DataFileAction f : files) {
      partitions.add(f.partitionValues());
    }
    for (Map<String, String> p : alsoReplaced) {
      if (!p.keySet().equals(new LinkedHashSet<>(layout.partitionColumns()))) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot commit to %s: partition to replace %s does not name exactly the partition"
                    + " columns %s; fix the writer's withPartitionsToReplace",
                tableName, p, layout.partitionColumns()));
      }
      partitions.add(p);
    }
    return partitions;
  }

  /** One attempt's actions and what they add up to. */
  private static final class Actions {
    final List<Action> list = new ArrayList<>();
    long added;
    long removed;
    long rows;
  }

  /**
   * The actions of one attempt: for replaced partitions, the removal of their current files (the
   * files read are marked so that a concurrent change to them conflicts); the batch's adds and
   * removes; its {@code SetTransaction}s.
   */
  private Actions actions(
      OptimisticTransaction txn, List<DataFileAction> files, Set<Map<String, String>> partitions)
      throws IOException {
    long now = System.currentTimeMillis();
    Actions actions = new Actions();
    if (mode != WriteMode.APPEND && !partitions.isEmpty()) {
      Expression read = partitionPredicate(txn.metadata().getSchema(), partitions);
      if (read == null) {
        txn.readWholeTable();
      }
      List<AddFile> current = filesIn(txn, read);
      if (mode == WriteMode.REPLACE_PARTITIONS) {
        for (AddFile f : current) {
          if (partitions.isEmpty() || partitions.contains(f.getPartitionValues())) {
            actions.list.add(f.remove(now, true));
            actions.removed++;
          }
        }
      }
    }
    for (DataFileAction f : files) {
      if (f.kind() == DataFileAction.Kind.ADD) {
        actions.list.add(DataFileActions.toAddFile(f, now, true));
        actions.added++;
        actions.rows += f.numRecords();
      } else {
        actions.list.add(DataFileActions.toRemoveFile(f, now, true));
        actions.removed++;
      }
    }
    for (Map.Entry<String, Long> t : transactions.entrySet()) {
      actions.list.add(new SetTransaction(t.getKey(), t.getValue(), Optional.of(now)));
    }
    return actions;
  }

  private CommitOutcome tryCommit(OptimisticTransaction txn, Actions actions, int attempt) {
    FaultPoints.reach(FaultPoints.BEFORE_COMMIT);
    CommitResult result = txn.commit(actions.list, operation(), ENGINE_INFO);
    FaultPoints.reach(FaultPoints.AFTER_COMMIT);
    return new CommitOutcome(
        tableName,
        CommitOutcome.Status.COMMITTED,
        result.getVersion(),
        actions.added,
        actions.removed,
        actions.rows,
        attempt);
  }

  /**
   * A concurrent commit that may be retried, returned; one that changed files this batch read or
   * replaces (outside {@code APPEND} mode), thrown as a {@link DeltaConflictException}.
   */
  private DeltaConcurrentModificationException retryableOrThrow(
      DeltaConcurrentModificationException e, Set<Map<String, String>> partitions) {
    boolean touchedOurFiles =
        e instanceof ConcurrentAppendException
            || e instanceof ConcurrentDeleteReadException
            || e instanceof ConcurrentDeleteDeleteException;
    if (touchedOurFiles && mode != WriteMode.APPEND) {
      throw new DeltaConflictException(
          String.format(
              "Cannot commit to %s: another writer changed partitions %s after this batch read"
                  + " them (%s); nothing was committed, re-run the batch",
              tableName, describe(partitions), e.getMessage()),
          e);
    }
    return e;
  }

  private void sleepBeforeRetry(int attempt, DeltaConcurrentModificationException last)
      throws IOException {
    long sleep = backoff(attempt);
    LOG.info(
        "{}: concurrent commit ({}); retry {} of {} in {} ms",
        tableName,
        last.getMessage(),
        attempt,
        maxAttempts,
        sleep);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while retrying a commit to " + tableName, ie);
    }
  }

  /** Backoff before retry {@code attempt}: base * 2^(attempt-1), capped at 5 s, plus jitter. */
  public long backoff(int attempt) {
    long exp = backoffMillis << Math.min(attempt - 1, 10);
    long capped = Math.min(exp, 5_000L);
    return capped + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  private boolean alreadyCommitted(OptimisticTransaction txn) {
    if (transactions.isEmpty()) {
      return false;
    }
    int done = 0;
    for (Map.Entry<String, Long> t : transactions.entrySet()) {
      if (txn.txnVersion(t.getKey()) >= t.getValue()) {
        done++;
      }
    }
    if (done == transactions.size()) {
      return true;
    }
    if (done > 0) {
      Map<String, Long> stored = new HashMap<>();
      transactions.keySet().forEach(k -> stored.put(k, txn.txnVersion(k)));
      throw new IllegalStateException(
          String.format(
              "Cannot commit to %s: the batch's source positions %s are partly committed already (log has %s); "
                  + "a batch must cover the same sources and ranges when it is re-run",
              tableName, transactions, stored));
    }
    return false;
  }

  /**
   * Creates the table or checks (and, if allowed, evolves) its schema. True if metadata changes.
   */
  private boolean prepareMetadata(OptimisticTransaction txn, long readVersion) {
    StructType batch = DeltaSchemas.toDelta(layout.schema());
    if (readVersion < 0) {
      txn.updateMetadata(
          Metadata.builder()
              .name(tableName)
              .schema(batch)
              .partitionColumns(layout.partitionColumns())
              .createdTime(System.currentTimeMillis())
              .build());
      return true;
    }
    Metadata current = txn.metadata();
    if (!current.getPartitionColumns().equals(layout.partitionColumns())) {
      throw new DeltaSchemaMismatchException(
          String.format(
              "Cannot commit to %s: the table is partitioned by %s but the writer by %s; fix the writer",
              tableName, current.getPartitionColumns(), layout.partitionColumns()));
    }
    StructType target =
        DeltaSchemas.reconcile(tableName, current.getSchema(), batch, allowSchemaEvolution);
    if (!target.equals(current.getSchema())) {
      txn.updateMetadata(current.copyBuilder().schema(target).build());
      return true;
    }
    return false;
  }

  private void requireNoChangesSince(
      DeltaLog log, long baseVersion, long readVersion, Set<Map<String, String>> partitions) {
    Iterator<VersionLog> changes = log.getChanges(Math.max(baseVersion + 1, 0), false);
    while (changes.hasNext()) {
      VersionLog v = changes.next();
      if (v.getVersion() > readVersion) {
        break;
      }
      for (Action a : v.getActions()) {
        Map<String, String> touched = partitionOf(a);
        if (touched != null
            && ((FileAction) a).isDataChange()
            && (partitions.isEmpty()
                || layout.partitionColumns().isEmpty()
                || partitions.contains(touched))) {
          throw new DeltaConflictException(
              String.format(
                  "Cannot commit to %s: version %d (by another writer) changed partition %s after this batch "
                      + "read version %d; nothing was committed, re-run the batch",
                  tableName, v.getVersion(), touched, baseVersion));
        }
      }
    }
  }

  private static Map<String, String> partitionOf(Action a) {
    if (a instanceof AddFile add) {
      return add.getPartitionValues();
    }
    if (a instanceof io.delta.standalone.actions.RemoveFile remove) {
      return remove.getPartitionValues();
    }
    return null;
  }

  private static List<AddFile> filesIn(OptimisticTransaction txn, Expression predicate)
      throws IOException {
    List<AddFile> files = new ArrayList<>();
    if (predicate == null) {
      return files;
    }
    try (CloseableIterator<AddFile> it = txn.markFilesAsRead(predicate).getFiles()) {
      it.forEachRemaining(files::add);
    }
    return files;
  }

  /**
   * The batch's partitions as one flat predicate (see {@link PartitionValuesIn}: exact, and safe at
   * any partition count); null when unpartitioned.
   */
  private Expression partitionPredicate(StructType schema, Set<Map<String, String>> partitions) {
    if (layout.partitionColumns().isEmpty() || partitions.isEmpty()) {
      return null;
    }
    return PartitionValuesIn.of(schema, layout.partitionColumns(), partitions);
  }

  private Operation operation() {
    Map<String, String> params = new HashMap<>();
    params.put("mode", DeltaStats.quote(mode.name()));
    params.put("table", DeltaStats.quote(tableName));
    Operation.Name name =
        switch (mode) {
          case APPEND -> Operation.Name.WRITE;
          case UPSERT -> Operation.Name.MERGE;
          case REPLACE_PARTITIONS -> Operation.Name.WRITE;
        };
    Optional<String> userMetadata =
        commitInfo.isEmpty() ? Optional.empty() : Optional.of(JsonMaps.toJson(commitInfo));
    return new Operation(name, params, Map.of(), userMetadata);
  }

  private static String describe(Set<Map<String, String>> partitions) {
    return partitions.size() <= 3 ? partitions.toString() : partitions.size() + " partitions";
  }
}
