package dev.ticklake.benchmarks.pipelines;

import dev.ticklake.transforms.delta.HadoopSettings;
import dev.ticklake.transforms.util.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * Copies and deletes the suites' lakes, on local disk (a plain path) or on any Hadoop file system
 * (an {@code hdfs://} URI): the cluster suite runs the same passes with the lake on HDFS.
 */
final class LakeFiles {
  private LakeFiles() {}

  static boolean isLocal(String location) {
    String scheme = URI.create(location).getScheme();
    return scheme == null || scheme.equals("file");
  }

  /** Copies the tree at {@code from} to {@code to} (either may be local or on Hadoop). */
  static void copy(String from, String to) {
    if (isLocal(from) && isLocal(to)) {
      Suites.copyRecursively(Path.of(from), Path.of(to));
      return;
    }
    try {
      Configuration conf = HadoopSettings.configuration();
      org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(from);
      org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(to);
      FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
    }
  }

  /** Deletes the tree at {@code location}; a missing one is not an error. */
  static void delete(String location) {
    if (isLocal(location)) {
      Directories.deleteRecursively(Path.of(location));
      return;
    }
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = path.getFileSystem(HadoopSettings.configuration());
      fs.delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }
}
