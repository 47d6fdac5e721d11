package dev.ticklake.orchestrator.health;

import com.codahale.metrics.health.HealthCheck;
import dev.ticklake.transforms.delta.HadoopSettings;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Healthy when the lake root is a directory that exists (or could be created now) and accepts a new
 * file. Each check creates the directory if missing, then writes and deletes one empty probe file,
 * so it proves writability rather than trusting permission bits (which say "writable" to root even
 * on a read-only mount). Works for any Hadoop-supported URI.
 *
 * <p>Idempotent apart from creating the lake root; safe to call concurrently.
 */
public final class LakeRootHealthCheck extends HealthCheck {

  /** The name under which the check appears in {@code /healthcheck}. */
  public static final String NAME = "lake-root";

  private static final String HOW_TO_FIX =
      "; set lakeRoot in the configuration (or TICKLAKE_LAKE_ROOT) to a writable directory";

  private final String lakeRoot;
  private final Configuration hadoopConf;

  public LakeRootHealthCheck(String lakeRoot) {
    this(lakeRoot, HadoopSettings.configuration());
  }

  LakeRootHealthCheck(String lakeRoot, Configuration hadoopConf) {
    this.lakeRoot = lakeRoot;
    this.hadoopConf = hadoopConf;
  }

  @Override
  protected Result check() {
    Path root = new Path(lakeRoot);
    String shown = lakeRoot;
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      root = fs.makeQualified(root);
      shown = root.toString();
      if (fs.exists(root)) {
        if (!fs.getFileStatus(root).isDirectory()) {
          return Result.unhealthy(
              "Lake root %s exists but is not a directory%s", shown, HOW_TO_FIX);
        }
      } else if (!fs.mkdirs(root)) {
        // Not stat'ed again after mkdirs: on an object store an empty "directory" is a marker
        // that some S3-compatible stores do not list; the probe below tells whether it is usable.
        return Result.unhealthy(
            "Lake root %s does not exist and cannot be created%s", shown, HOW_TO_FIX);
      }
      Path probe = new Path(root, ".ticklake-health-" + UUID.randomUUID());
      try {
        fs.create(probe, false).close();
      } finally {
        fs.delete(probe, false);
      }
      return Result.healthy("Lake root %s is a writable directory", shown);
    } catch (IOException | RuntimeException e) {
      return Result.unhealthy(
          "Lake root %s is not usable: %s%s", shown, e.getMessage(), HOW_TO_FIX);
    }
  }
}
