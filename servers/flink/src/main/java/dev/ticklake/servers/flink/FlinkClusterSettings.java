package dev.ticklake.servers.flink;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How big a {@link FlinkSessionCluster} is and where it keeps its state.
 *
 * @param home the cluster's folder: {@code conf/config.yaml}, {@code log/<jvm>.log|.pid}, {@code
 *     tmp/}, and the file {@code master} ({@code 127.0.0.1:<rest port>})
 * @param restPort the REST API and web UI port on 127.0.0.1; 0 picks a free one
 * @param taskManagers how many TaskManager JVMs
 * @param slotsPerTaskManager task slots of each TaskManager
 * @param taskHeapMb each TaskManager's task heap (the user code's heap), MiB
 * @param managedMb each TaskManager's managed memory (Flink's sorters and hash tables), MiB
 * @param jobManagerHeapMb the JobManager JVM's heap, MiB
 * @param libraries jars put on every cluster JVM's classpath, as in a Flink distribution's {@code
 *     lib/} (e.g. the pipelines' job jar): with any, user code resolves parent-first, so the
 *     classes of the jobs' dependencies load once per JVM instead of once per job (a job
 *     classloader per job fills the metaspace of a long-lived TaskManager)
 */
public record FlinkClusterSettings(
    Path home,
    int restPort,
    int taskManagers,
    int slotsPerTaskManager,
    int taskHeapMb,
    int managedMb,
    int jobManagerHeapMb,
    List<Path> libraries) {

  // The rest of a TaskManager's memory: TaskManagerRunner started without Flink's scripts needs
  // every component set, or it fails to derive the process size.
  private static final int FRAMEWORK_HEAP_MB = 128;
  private static final int FRAMEWORK_OFF_HEAP_MB = 128;
  // Network buffers: Beam's batch plans have many exchanges (Gold: 128 tasks), each asking for
  // its buffer pool; 64 MiB was measured too small for Gold at parallelism 2.
  private static final int NETWORK_MB = 256;
  private static final int METASPACE_MB = 512;
  private static final int OVERHEAD_MB = 128;

  public FlinkClusterSettings {
    libraries = List.copyOf(libraries);
    if (restPort < 0 || restPort > 65535) {
      throw new IllegalArgumentException("restPort must be 0..65535, got " + restPort);
    }
    positive("taskManagers", taskManagers);
    positive("slotsPerTaskManager", slotsPerTaskManager);
    positive("taskHeapMb", taskHeapMb);
    positive("managedMb", managedMb);
    positive("jobManagerHeapMb", jobManagerHeapMb);
  }

  /** Two TaskManagers with one slot each, small memory: the test and benchmark layout. */
  public static FlinkClusterSettings defaults(Path home) {
    return new FlinkClusterSettings(home, 0, 2, 1, 384, 128, 384, List.of());
  }

  public FlinkClusterSettings withRestPort(int port) {
    return new FlinkClusterSettings(
        home,
        port,
        taskManagers,
        slotsPerTaskManager,
        taskHeapMb,
        managedMb,
        jobManagerHeapMb,
        libraries);
  }

  /** These settings with {@code jars} on the cluster's classpath (see {@link #libraries()}). */
  public FlinkClusterSettings withLibraries(List<Path> jars) {
    return new FlinkClusterSettings(
        home,
        restPort,
        taskManagers,
        slotsPerTaskManager,
        taskHeapMb,
        managedMb,
        jobManagerHeapMb,
        jars);
  }

  public Path conf() {
    return home.resolve("conf");
  }

  public Path logs() {
    return home.resolve("log");
  }

  /** The file naming the REST endpoint of the running cluster ({@code host:port}). */
  public Path masterFile() {
    return home.resolve("master");
  }

  /** The TaskManagers' JVM flags, as Flink's scripts derive them from the memory components. */
  String[] taskManagerJvmOptions() {
    return new String[] {
      "-Xms" + (FRAMEWORK_HEAP_MB + taskHeapMb) + "m",
      "-Xmx" + (FRAMEWORK_HEAP_MB + taskHeapMb) + "m",
      "-XX:MaxDirectMemorySize=" + (FRAMEWORK_OFF_HEAP_MB + NETWORK_MB) + "m",
      "-XX:MaxMetaspaceSize=" + METASPACE_MB + "m"
    };
  }

  /** {@code config.yaml}, flat keys, for a cluster whose REST API is on {@code restPort}. */
  Map<String, String> flinkConfig(int rest, int rpc) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", Integer.toString(rpc));
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("rest.address", "127.0.0.1");
    c.put("rest.bind-address", "127.0.0.1");
    c.put("rest.port", Integer.toString(rest));
    c.put("web.submit.enable", "false");
    c.put("taskmanager.host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
    c.put("taskmanager.cpu.cores", Integer.toString(slotsPerTaskManager));
    c.put("parallelism.default", Integer.toString(taskManagers * slotsPerTaskManager));
    c.put("taskmanager.memory.framework.heap.size", FRAMEWORK_HEAP_MB + "m");
    c.put("taskmanager.memory.task.heap.size", taskHeapMb + "m");
    c.put("taskmanager.memory.framework.off-heap.size", FRAMEWORK_OFF_HEAP_MB + "m");
    c.put("taskmanager.memory.task.off-heap.size", "0m");
    c.put("taskmanager.memory.network.min", NETWORK_MB + "m");
    c.put("taskmanager.memory.network.max", NETWORK_MB + "m");
    c.put("taskmanager.memory.managed.size", managedMb + "m");
    c.put("taskmanager.memory.jvm-metaspace.size", METASPACE_MB + "m");
    c.put("taskmanager.memory.jvm-overhead.min", OVERHEAD_MB + "m");
    c.put("taskmanager.memory.jvm-overhead.max", OVERHEAD_MB + "m");
    // A lost TaskManager fails its tasks within seconds, and the job restarts on the slots left
    // (or on a restarted TaskManager) instead of failing the try at once; the attempts outlast
    // the heartbeat timeout, until which the lost TaskManager's slots still look free.
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", "10");
    c.put("restart-strategy.fixed-delay.delay", "2 s");
    c.put("heartbeat.interval", "2000");
    c.put("heartbeat.timeout", "10000");
    c.put("slot.request.timeout", "60000");
    if (!libraries.isEmpty()) {
      c.put("classloader.resolve-order", "parent-first");
    }
    c.put("io.tmp.dirs", home.resolve("tmp").toAbsolutePath().toString());
    c.put("web.tmpdir", home.resolve("tmp").resolve("web").toAbsolutePath().toString());
    return c;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }
}
