package dev.ticklake.orchestrator.serving;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The latest committed version of a Delta table, found by one listing of its {@code _delta_log}
 * (the highest {@code NNNNNNNNNNNNNNNNNNNN.json}), without reading any log file. A commit file is
 * created atomically, so a version this returns is complete and readable. Cheap enough to call on
 * every query: this is how the read layer's cache knows it is current. Thread-safe.
 */
public final class TableVersions {
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

  private final Configuration conf;

  public TableVersions(Configuration conf) {
    this.conf = conf;
  }

  /** The latest version of the table at {@code location}, or -1 when there is no table yet. */
  public long latest(String location) {
    Path log = new Path(location, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(conf);
      long latest = -1;
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (COMMIT_FILE.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return latest;
    } catch (FileNotFoundException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log of " + location, e);
    }
  }
}
