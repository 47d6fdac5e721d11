package dev.ticklake.transforms.delta;

import dev.ticklake.servers.hdfs.HdfsServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashSafetyIT}'s kill tests with the table on a real HDFS (NameNode and DataNode in their
 * own JVM): the killed writer is a third JVM, so the commit protocol is HDFS's create-without-
 * overwrite and rename, under Delta's {@code HDFSLogStore}.
 */
class CrashSafetyOnHdfsIT extends CrashSafetyIT {
  @TempDir static Path hdfsDir;
  private static HdfsServer hdfs;

  @BeforeAll
  static void startHdfs() {
    hdfs = HdfsServer.start(hdfsDir);
  }

  @AfterAll
  static void stopHdfs() {
    hdfs.close();
  }

  @Override
  String table() {
    // One lake per test: the test's own temp folder name is unique.
    return hdfs.uri() + "/" + dir.getFileName() + "/bronze/ticks";
  }
}
