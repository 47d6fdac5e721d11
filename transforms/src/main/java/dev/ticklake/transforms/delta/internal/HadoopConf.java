package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.HadoopSettings;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Builds Hadoop configurations from plain maps, which (unlike Configuration) serialize. */
public final class HadoopConf {
  /** The setting naming the log store of {@code hdfs:} paths. */
  public static final String HDFS_LOG_STORE_SETTING = logStoreSetting("hdfs");

  /** The log store for S3 (s3a:, s3:, s3n:): correct with a single writer per table only. */
  public static final String S3_LOG_STORE = "io.delta.storage.S3SingleDriverLogStore";

  private static final List<String> S3_SCHEMES = List.of("s3a", "s3", "s3n");

  private HadoopConf() {}

  /**
   * Hadoop's defaults (core-default.xml, core-site.xml), parsed once: every {@code new
   * Configuration()} parses the XML again on first use, tens of milliseconds per table opened,
   * which a micro-batch every few seconds pays many times.
   */
  private static final Configuration DEFAULTS = parsedDefaults();

  private static Configuration parsedDefaults() {
    Configuration conf = new Configuration();
    conf.size(); // forces the parse
    // Commits on a local disk must fail when the commit file exists (see the class); a table's own
    // settings may still name another store.
    conf.set(AtomicLocalLogStore.SETTING, AtomicLocalLogStore.class.getName());
    // delta-standalone's defaults for these schemes too, named here so that the choice is visible
    // and tested: HDFS renames without overwrite atomically (safe for any number of writers);
    // S3 has no such rename, so its store is only safe with one writer per table (see
    // docs/storage.md).
    conf.set(HDFS_LOG_STORE_SETTING, "io.delta.storage.HDFSLogStore");
    for (String scheme : S3_SCHEMES) {
      conf.set(logStoreSetting(scheme), S3_LOG_STORE);
    }
    // No chmod process per file written on a local disk (see the class); Hadoop caches a file
    // system per scheme, so this holds when TickLake's code opens the JVM's first file: path.
    conf.set(NioLocalFileSystem.SETTING, NioLocalFileSystem.class.getName());
    return conf;
  }

  /** The delta-standalone setting naming the log store of {@code scheme}'s paths. */
  public static String logStoreSetting(String scheme) {
    return "delta.logStore." + scheme + ".impl";
  }

  /**
   * Hadoop's defaults, then the process-wide settings ({@link HadoopSettings}), then {@code
   * settings}.
   */
  public static Configuration of(Map<String, String> settings) {
    Configuration conf = new Configuration(DEFAULTS);
    // Classes named in settings (file systems, socket factories, log stores) load with the loader
    // of this code, not the thread's context loader of whichever job first built DEFAULTS: on a
    // Flink cluster with TickLake's jar in lib/, that job's loader is closed once it ends.
    conf.setClassLoader(HadoopConf.class.getClassLoader());
    HadoopSettings.effective(settings).forEach(conf::set);
    return conf;
  }
}
