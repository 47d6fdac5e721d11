package dev.ticklake.servers.hdfs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The child JVM of {@link HdfsServer}: a MiniDFSCluster (one NameNode, one DataNode, real RPC and
 * block storage) on 127.0.0.1. Args: data folder, NameNode RPC port. Runs until SIGTERM.
 */
public final class HdfsMain {
  private HdfsMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Path data = dir.resolve("data");
    boolean existing = Files.isDirectory(data.resolve("name-0-1"));
    Configuration conf = new HdfsConfiguration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, data.toString());
    conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
    // One DataNode: one replica. No permission checks: any local user may write the lake.
    conf.setInt("dfs.replication", 1);
    conf.setBoolean("dfs.permissions.enabled", false);
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    MiniDFSCluster cluster =
        new MiniDFSCluster.Builder(conf, new File(data.toString()))
            .nameNodePort(port)
            .numDataNodes(1)
            .format(!existing)
            .manageNameDfsDirs(true)
            .manageDataDfsDirs(true)
            .build();
    cluster.waitActive();
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "hdfs-shutdown"));
    String uri = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    Path tmp = dir.resolve(HdfsServer.URI_FILE + ".tmp");
    Files.writeString(tmp, uri);
    Files.move(tmp, dir.resolve(HdfsServer.URI_FILE), StandardCopyOption.ATOMIC_MOVE);
    System.out.println("HDFS ready at " + uri);
    Thread.currentThread().join();
  }
}
