package dev.ticklake.benchmarks;

import dev.ticklake.benchmarks.pipelines.SuiteEnvironment;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Helpers of the {@code bench} command's own suites: their load average and peak RSS come from the
 * pipelines' {@link SuiteEnvironment} (same JSON as the pipeline suites), their progress lines are
 * time-stamped.
 */
final class Suite {
  private Suite() {}

  /** Starts measuring a suite's load average and peak RSS (the pipelines' suites do the same). */
  static SuiteEnvironment start() {
    return SuiteEnvironment.start();
  }

  static void log(PrintStream out, String format, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = LocalTime.now().truncatedTo(ChronoUnit.MILLIS);
    System.arraycopy(args, 0, all, 1, args.length);
    out.printf(Locale.ROOT, "%s " + format + "%n", all);
  }
}
