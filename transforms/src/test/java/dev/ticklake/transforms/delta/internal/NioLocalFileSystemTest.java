package dev.ticklake.transforms.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void hadoopPermissionsMapToPosixOnes() {
    assertThat(NioLocalFileSystem.posix(new FsPermission((short) 0754)))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr--"));
    assertThat(NioLocalFileSystem.posix(new FsPermission((short) 01640)))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
  }

  @Test
  void tickLakeConfigurationsUseItForLocalPaths() throws Exception {
    Configuration conf = HadoopConf.of(Map.of());
    try (FileSystem fs = FileSystem.newInstance(dir.toUri(), conf)) {
      assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
    }
  }

  @Test
  void filesAndDirectoriesItCreatesGetTheRequestedPermissions() throws Exception {
    Configuration conf = HadoopConf.of(Map.of("fs.permissions.umask-mode", "027"));
    try (FileSystem fs = FileSystem.newInstance(dir.toUri(), conf)) {
      Path file = new Path(dir.toUri().toString(), "a/b/part-0.parquet");
      try (OutputStream out = fs.create(file)) {
        out.write(42);
      }
      fs.setPermission(new Path(dir.toUri().toString(), "a"), new FsPermission((short) 0705));

      assertThat(Files.readAllBytes(dir.resolve("a/b/part-0.parquet"))).containsExactly(42);
      assertThat(Files.getPosixFilePermissions(dir.resolve("a/b/part-0.parquet")))
          .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
      assertThat(Files.getPosixFilePermissions(dir.resolve("a/b")))
          .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
      assertThat(Files.getPosixFilePermissions(dir.resolve("a")))
          .isEqualTo(PosixFilePermissions.fromString("rwx---r-x"));
    }
  }
}
