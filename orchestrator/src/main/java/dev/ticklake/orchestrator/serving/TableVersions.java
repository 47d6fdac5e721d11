package dev.ticklake.orchestrator.serving;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The latest committed version of a Delta table, without reading any log file. A commit file is
 * created atomically and versions are consecutive, so a version this returns is complete and
 * readable. Thread-safe; called on every query: this is how the read layer's cache knows it is
 * current.
 *
 * <p>Why not a listing each time: a {@code _delta_log} grows by a file or two per commit (the demo
 * commits every few seconds), and a listing of the local file system also stats every entry, so a
 * per-query listing got slower by the hour (27 % of the dashboard's request CPU after minutes). The
 * version found last is kept per table, and a query checks only that its commit file still exists
 * and whether the next ones do: two or three file checks, whatever the log's length. The table's
 * log is listed again only the first time, or when the known commit file is gone (the table was
 * deleted or recreated).
 */
public final class TableVersions {
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

  private final Configuration conf;
  private final Map<String, Long> known = new ConcurrentHashMap<>();
  // Every request asks for a version: the log's path is built once per table.
  private final Map<String, Path> logs = new ConcurrentHashMap<>();

  public TableVersions(Configuration conf) {
    this.conf = conf;
  }

  /** The latest version of the table at {@code location}, or -1 when there is no table yet. */
  public long latest(String location) {
    Path log = logs.computeIfAbsent(location, l -> new Path(l, "_delta_log"));
    try {
      FileSystem fs = log.getFileSystem(conf);
      Long last = known.get(location);
      long latest;
      if (last != null && fs.exists(commitFile(log, last))) {
        latest = last;
        while (fs.exists(commitFile(log, latest + 1))) {
          latest++;
        }
      } else {
        latest = listed(fs, log);
      }
      if (latest >= 0) {
        known.put(location, latest);
      } else {
        known.remove(location);
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log of " + location, e);
    }
  }

  private static Path commitFile(Path log, long version) {
    String digits = Long.toString(version);
    return new Path(log, "0".repeat(20 - digits.length()) + digits + ".json");
  }

  /** The highest commit file's version in one listing of the log, -1 when there is none. */
  private static long listed(FileSystem fs, Path log) throws IOException {
    long latest = -1;
    try {
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (COMMIT_FILE.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
    } catch (FileNotFoundException e) {
      return -1;
    }
    return latest;
  }
}
