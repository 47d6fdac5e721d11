package dev.ticklake.transforms.delta;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Runs one batch write in a child JVM, so that a test can SIGKILL it at a fault point. */
public final class DeltaWriteChild {
  private DeltaWriteChild() {}

  /** Args: table location, first row index, row count, txn version. */
  public static void main(String[] args) {
    String location = args[0];
    List<GenericRecord> rows =
        CrashSafetyIT.batch(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    CommitOutcome outcome =
        TickTables.write(
            rows,
            TickTables.append(location)
                .withTransaction(CrashSafetyIT.APP_ID, Long.parseLong(args[3])));
    System.out.println("OUTCOME " + outcome.status());
    System.exit(0);
  }
}
