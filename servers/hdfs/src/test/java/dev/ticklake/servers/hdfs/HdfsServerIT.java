package dev.ticklake.servers.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HdfsServerIT {
  @TempDir Path dir;

  @Test
  void startsARealHdfsThatStoresFilesAndStops() throws Exception {
    String uri;
    try (HdfsServer hdfs = HdfsServer.start(dir)) {
      uri = hdfs.uri();
      assertThat(uri).startsWith("hdfs://127.0.0.1:");
      Configuration conf = new Configuration();
      try (FileSystem fs = FileSystem.newInstance(URI.create(uri), conf)) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/lake/hello.txt");
        try (FSDataOutputStream out = fs.create(file, false)) {
          out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        try (FSDataInputStream in = fs.open(file)) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        // HDFS refuses to create a file that exists: what Delta's HDFSLogStore relies on.
        assertThatThrownBy(() -> fs.create(file, false).close())
            .isInstanceOf(FileAlreadyExistsException.class);
      }
      assertThat(dir.resolve("hdfs.log")).exists();
      assertThat(dir.resolve("hdfs.pid")).exists();
    }
    int port = URI.create(uri).getPort();
    assertThat(dev.ticklake.servers.ServerProcess.listening(port)).isFalse();
  }
}
