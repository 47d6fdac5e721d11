package dev.ticklake.transforms.delta;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Builds Hadoop configurations from plain maps, which (unlike Configuration) serialize. */
final class HadoopConf {
  private HadoopConf() {}

  static Configuration of(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(conf::set);
    return conf;
  }
}
