package dev.ticklake.orchestrator.core.lineage;

import dev.ticklake.schemas.catalog.TableCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Dataset names after the OpenLineage naming spec.
 *
 * <ul>
 *   <li>Local tables (a plain path or {@code file:} URI): namespace {@code file}, name = the
 *       absolute, normalised path of the table, e.g. {@code /data/lake/silver/ticks}.
 *   <li>HDFS: namespace {@code hdfs://namenode:port}, name = the absolute path.
 *   <li>Object stores ({@code s3a:}/{@code s3n:} are named {@code s3}; {@code gs}, {@code abfss},
 *       ...): namespace {@code <scheme>://<bucket or container@account>}, name = the key without
 *       the leading slash.
 *   <li>Kafka: namespace {@code kafka://<first bootstrap host:port>}, name = the topic.
 * </ul>
 */
public final class DatasetNaming {
  private static final Set<String> OBJECT_STORES =
      Set.of("s3", "s3a", "s3n", "gs", "wasb", "wasbs", "abfs", "abfss");

  private DatasetNaming() {}

  /**
   * The table with catalog id {@code tableId} (e.g. {@code silver/ticks}) under {@code lakeRoot}.
   */
  public static Dataset table(String lakeRoot, String tableId) {
    return location(TableCatalog.byId(tableId).location(lakeRoot));
  }

  /** A table at a local path or Hadoop URI. */
  public static Dataset location(String location) {
    URI uri = parse(location);
    String scheme = uri == null ? null : uri.getScheme();
    if (scheme == null || scheme.length() == 1 || scheme.equalsIgnoreCase("file")) {
      // a path, a drive letter (C:), or file:/..., file:///...
      String path = scheme == null || scheme.length() == 1 ? location : uri.getPath();
      return new Dataset("file", Path.of(path).toAbsolutePath().normalize().toString());
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (OBJECT_STORES.contains(s)) {
      String ns = (s.startsWith("s3") ? "s3" : s) + "://" + uri.getAuthority();
      return new Dataset(ns, path.startsWith("/") ? path.substring(1) : path);
    }
    String authority = uri.getAuthority() == null ? "" : uri.getAuthority();
    return new Dataset(s + "://" + authority, path.isEmpty() ? "/" : path);
  }

  /** A Kafka topic on the cluster reached through {@code bootstrapServers}. */
  public static Dataset kafkaTopic(String bootstrapServers, String topic) {
    String first = bootstrapServers.split(",")[0].trim();
    int scheme = first.indexOf("://");
    if (scheme >= 0) {
      first = first.substring(scheme + 3); // PLAINTEXT://host:port
    }
    return new Dataset("kafka://" + first, topic);
  }

  private static URI parse(String location) {
    try {
      return new URI(location);
    } catch (URISyntaxException e) {
      return null; // a local path with characters a URI does not allow
    }
  }
}
