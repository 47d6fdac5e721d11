package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.HadoopSettings;
import io.delta.standalone.DeltaLog;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-JVM cache of delta-standalone {@link DeltaLog}s, keyed by table location and the Hadoop
 * settings given for it, bounded to {@link #MAX_TABLES} tables (least recently used evicted).
 *
 * <p>Why: {@code DeltaLog.forTable} costs tens of milliseconds (log store set-up over the Hadoop
 * configuration, {@code _last_checkpoint}, a listing, then replaying checkpoint and commits when
 * the snapshot is first used), and one micro-batch opens the same few tables many times (planner,
 * read, merge, commit). A cached log that has not changed costs one listing of {@code _delta_log}
 * and one file status.
 *
 * <p>Why it is safe:
 *
 * <ul>
 *   <li>Every {@link #latest} brings the log up to date ({@code DeltaLog.update()}) before it is
 *       returned, so a commit made by any other process or {@code DeltaLog} is seen, exactly as
 *       with a fresh {@code forTable}. Commits go through {@code startTransaction()}, which updates
 *       again; optimistic concurrency (the atomic, no-overwrite write of the next commit file, by
 *       {@link AtomicLocalLogStore} on a local disk, plus delta-standalone's conflict checks) works
 *       the same for a shared log as for separate ones.
 *   <li>delta-standalone's {@code DeltaLogImpl} is built to be shared by threads: updates and
 *       commits hold its lock, snapshots are immutable once built (lazily, thread-safe), and each
 *       {@code startTransaction()} makes its own transaction.
 *   <li>A table deleted (and perhaps re-created) at the same location: {@code update()} alone is
 *       not enough, since delta-standalone 3.x builds the new snapshot with the old one as a hint
 *       for protocol and metadata (a re-created table of at least the old version would keep the
 *       old schema; one of a lower version fails an assertion). So each entry remembers the status
 *       (length, modification time) of the commit file of the version it last saw, and a log whose
 *       commit file is gone or differs is dropped and loaded afresh. If updating a cached log fails
 *       for any other reason, it is loaded afresh once too: a cached log never raises an error that
 *       a fresh one would not.
 * </ul>
 *
 * <p>The JVM property {@code -Dticklake.delta.logCache=false} turns the cache off (every call loads
 * the log afresh, as before the cache existed): for comparing, or ruling the cache out.
 */
public final class DeltaLogs {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaLogs.class);

  /** Tables kept; a long-lived server touches a few dozen, tests a few hundred at most. */
  public static final int MAX_TABLES = 256;

  /** The JVM property that turns the cache off when set to {@code false}. */
  public static final String ENABLED_PROPERTY = "ticklake.delta.logCache";

  private static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());

  private static final Map<Key, Entry> CACHE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
          return size() > MAX_TABLES;
        }
      };

  private DeltaLogs() {}

  /** Location plus the settings it was opened with: the same path with other settings differs. */
  private record Key(String location, Map<String, String> settings) {}

  /**
   * The status of one commit file, which tells which table a version belongs to; length -1 when it
   * could not be read (such a commit never matches, so the log is reloaded).
   */
  private record Commit(long version, long length, long modificationTime) {
    static final Commit NONE = new Commit(-1, -1, -1);

    public boolean sameFileAs(Commit other) {
      return length >= 0 && equals(other);
    }
  }

  /** A cached log and the last commit it was seen at. */
  private static final class Entry {
    final DeltaLog log;
    final Configuration conf;
    volatile Commit seen;

    public Entry(DeltaLog log, Configuration conf, Commit seen) {
      this.log = log;
      this.conf = conf;
      this.seen = seen;
    }
  }

  /**
   * The log of the table at {@code location} (it need not exist), updated to the latest commit.
   *
   * @param hadoopSettings extra Hadoop settings (on top of the defaults) the table is opened with
   */
  public static DeltaLog latest(String location, Map<String, String> hadoopSettings) {
    if (!ENABLED) {
      return DeltaLog.forTable(HadoopConf.of(hadoopSettings), location);
    }
    Key key = new Key(location, new TreeMap<>(HadoopSettings.effective(hadoopSettings)));
    Entry cached;
    synchronized (CACHE) {
      cached = CACHE.get(key);
    }
    if (cached != null) {
      DeltaLog log = updated(location, cached);
      if (log != null) {
        return log;
      }
      synchronized (CACHE) {
        CACHE.remove(key, cached);
      }
    }
    // Loaded outside the lock (tens of ms); forTable loads the latest snapshot.
    Configuration conf = HadoopConf.of(hadoopSettings);
    DeltaLog fresh = DeltaLog.forTable(conf, location);
    Entry entry = new Entry(fresh, conf, commitOf(fresh, conf, fresh.snapshot().getVersion()));
    synchronized (CACHE) {
      // Threads that missed together loaded a log each; the first one cached is everybody's, so
      // their commits queue on one log's lock instead of racing for the same commit file.
      Entry raced = CACHE.get(key);
      if (raced != null && raced != cached) {
        return raced.log;
      }
      CACHE.put(key, entry);
    }
    return fresh;
  }

  /** The cached log brought up to date, or null when it must be loaded afresh. */
  private static DeltaLog updated(String location, Entry entry) {
    Commit seen = entry.seen;
    try {
      if (seen.version() >= 0
          && !commitOf(entry.log, entry.conf, seen.version()).sameFileAs(seen)) {
        LOG.debug("{}: commit {} is gone or rewritten; reloading its Delta log", location, seen);
        return null;
      }
      long version = entry.log.update().getVersion();
      if (version != seen.version()) {
        entry.seen = commitOf(entry.log, entry.conf, version);
      }
      return entry.log;
    } catch (RuntimeException | AssertionError e) {
      // e.g. a re-created table whose new log the old snapshot cannot be updated to: a fresh load
      // decides.
      LOG.debug("{}: reloading its Delta log after a failed update", location, e);
      return null;
    }
  }

  /** The status of {@code version}'s commit file ({@link Commit#NONE} for no version). */
  private static Commit commitOf(DeltaLog log, Configuration conf, long version) {
    if (version < 0) {
      return Commit.NONE;
    }
    Path file =
        new Path(new Path(log.getPath(), "_delta_log"), String.format("%020d.json", version));
    try {
      FileStatus status = file.getFileSystem(conf).getFileStatus(file);
      return new Commit(version, status.getLen(), status.getModificationTime());
    } catch (IOException e) { // including FileNotFoundException: deleted since
      return new Commit(version, -1, -1);
    }
  }

  /** The number of cached logs (for tests). */
  public static int size() {
    synchronized (CACHE) {
      return CACHE.size();
    }
  }
}
