package dev.ticklake.transforms.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.transforms.delta.HadoopSettings;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HadoopConfTest {
  @AfterEach
  void clearProcessWide() {
    HadoopSettings.setProcessWide(Map.of());
  }

  @Test
  void eachSchemeGetsTheLogStoreThatIsCorrectOnIt() {
    Configuration conf = HadoopConf.of(Map.of());
    assertThat(conf.get("delta.logStore.file.impl")).isEqualTo(AtomicLocalLogStore.class.getName());
    assertThat(conf.get("delta.logStore.hdfs.impl")).isEqualTo("io.delta.storage.HDFSLogStore");
    for (String scheme : List.of("s3a", "s3", "s3n")) {
      assertThat(conf.get("delta.logStore." + scheme + ".impl"))
          .isEqualTo("io.delta.storage.S3SingleDriverLogStore");
    }
  }

  @Test
  void tableSettingsOverrideProcessWideOnesWhichOverrideDefaults() {
    HadoopSettings.setProcessWide(
        Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000", "fs.s3a.path.style.access", "true"));
    Configuration conf = HadoopConf.of(Map.of("fs.s3a.path.style.access", "false"));
    assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
    assertThat(conf.get("fs.s3a.path.style.access")).isEqualTo("false");
    assertThat(HadoopConf.of(Map.of()).get("fs.s3a.path.style.access")).isEqualTo("true");
  }

  @Test
  void classesLoadWithThisCodesLoaderNotTheThreadContextLoader() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (java.net.URLClassLoader jobLoader =
        new java.net.URLClassLoader(new java.net.URL[0], before)) {
      thread.setContextClassLoader(jobLoader);
      assertThat(HadoopConf.of(Map.of()).getClassLoader())
          .isSameAs(HadoopConf.class.getClassLoader());
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void settingsParseFromKeyValuePairsAndABadOneIsNamed() {
    assertThat(HadoopSettings.parse(List.of("fs.s3a.endpoint=http://h:9000", "a.b = c=d")))
        .containsExactly(Map.entry("fs.s3a.endpoint", "http://h:9000"), Map.entry("a.b", "c=d"));
    assertThatThrownBy(() -> HadoopSettings.parse(List.of("fs.s3a.endpoint")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fs.s3a.endpoint' is not key=value");
  }
}
