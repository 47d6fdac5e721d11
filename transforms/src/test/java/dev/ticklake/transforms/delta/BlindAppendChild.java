package dev.ticklake.transforms.delta;

import dev.ticklake.transforms.delta.internal.HadoopConf;
import io.delta.standalone.DeltaLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A second process committing to a table: waits for a start file, then makes blind appends of
 * {@code <prefix>-<i>.parquet} through its own log, opened with TickLake's Hadoop settings.
 */
public final class BlindAppendChild {
  private BlindAppendChild() {}

  /** Args: table location, start file, file name prefix, number of commits. */
  public static void main(String[] args) throws Exception {
    String location = args[0];
    Path start = Path.of(args[1]);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.exists(start)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("no start file " + start);
      }
      Thread.onSpinWait();
    }
    DeltaLog log = DeltaLog.forTable(HadoopConf.of(Map.of()), location);
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
      AtomicLocalLogStoreTest.blindAppend(log, args[2] + "-" + i + ".parquet");
    }
    System.out.println("DONE");
    System.exit(0);
  }
}
