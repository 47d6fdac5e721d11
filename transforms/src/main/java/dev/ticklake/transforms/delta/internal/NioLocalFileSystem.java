package dev.ticklake.transforms.delta.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's {@code file:} file system with permissions set through {@code java.nio}. Without
 * Hadoop's native library (not on Maven Central), {@link RawLocalFileSystem} starts a {@code chmod}
 * process for every file and directory it creates: 31,338 processes in one history replay, and
 * several per second in the demo (docs/benchmarks.md, history). Installed for every Hadoop
 * configuration of the JVM by {@link HadoopConf}; on a file system without POSIX permissions,
 * Hadoop's own way is used.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  /** The setting that makes Hadoop use this class for {@code file:} paths. */
  public static final String SETTING = "fs.file.impl";

  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }

  /** The raw file system under the checksums: only {@link #setPermission} differs. */
  static final class NioRawLocalFileSystem extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      java.nio.file.Path file = pathToFile(p).toPath();
      if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
        super.setPermission(p, permission);
        return;
      }
      Files.setPosixFilePermissions(file, posix(permission));
    }
  }

  /** Owner, group and others' read, write and execute bits (Hadoop's sticky bit has no match). */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    return PosixFilePermissions.fromString(
        permission.getUserAction().SYMBOL
            + permission.getGroupAction().SYMBOL
            + permission.getOtherAction().SYMBOL);
  }
}
