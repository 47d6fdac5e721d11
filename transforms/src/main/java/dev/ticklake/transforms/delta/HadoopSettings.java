package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.HadoopConf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Hadoop settings for every table this JVM opens (the file system of a lake: {@code fs.s3a.*}
 * endpoint and credentials, {@code dfs.*} client settings), on top of Hadoop's defaults and under
 * the settings a transform or table is given itself.
 *
 * <p>Why process-wide: a lake root is one place, and every job, planner, reader and maintenance
 * call of a process reaches it; passing the same map to each of them is what this saves. {@link
 * DeltaIO#write()} and {@link DeltaIO#read()} copy the settings set here when they are built, so
 * they travel with the pipeline to workers in other JVMs (a remote Flink cluster). Code that runs
 * only on remote workers and opens a table by location alone does not see them: on such a cluster,
 * also give the TaskManagers the settings in their {@code core-site.xml}.
 */
public final class HadoopSettings {
  private static volatile Map<String, String> processWide = Map.of();

  private HadoopSettings() {}

  /** Replaces the settings every table of this JVM is opened with. */
  public static void setProcessWide(Map<String, String> settings) {
    processWide = Map.copyOf(settings);
  }

  /** The settings every table of this JVM is opened with (empty unless set). */
  public static Map<String, String> processWide() {
    return processWide;
  }

  /**
   * A Hadoop configuration as TickLake opens tables with: Hadoop's defaults, the log store of each
   * scheme, then the process-wide settings. For readers outside DeltaIO (Delta Kernel).
   */
  public static Configuration configuration() {
    return HadoopConf.of(Map.of());
  }

  /** {@code settings} over the process-wide ones: the map a table is opened with. */
  public static Map<String, String> effective(Map<String, String> settings) {
    if (processWide.isEmpty()) {
      return settings;
    }
    Map<String, String> merged = new LinkedHashMap<>(processWide);
    merged.putAll(settings);
    return merged;
  }

  /**
   * Settings written as {@code key=value} (the form of a command-line option).
   *
   * @throws IllegalArgumentException naming the entry that has no {@code =} or an empty key
   */
  public static Map<String, String> parse(List<String> keyValues) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String entry : keyValues) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Hadoop setting '"
                + entry
                + "' is not key=value; write it as e.g. fs.s3a.endpoint=http://host:9000");
      }
      settings.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return settings;
  }
}
