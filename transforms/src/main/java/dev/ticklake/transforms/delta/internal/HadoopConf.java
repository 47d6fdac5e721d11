package dev.ticklake.transforms.delta.internal;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Builds Hadoop configurations from plain maps, which (unlike Configuration) serialize. */
public final class HadoopConf {
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
    return conf;
  }

  public static Configuration of(Map<String, String> settings) {
    Configuration conf = new Configuration(DEFAULTS);
    settings.forEach(conf::set);
    return conf;
  }
}
