package dev.ticklake.transforms.silver;

import dev.ticklake.testing.Runners;
import org.junit.jupiter.api.Test;

/** {@link ValidateTicksTest}'s checks on the FlinkRunner ({@code [local]}: starts a Flink). */
class ValidateTicksFlinkIT {
  @Test
  void warnKeepsTheRowAndEveryExpectationCountsIndependently() {
    ValidateTicksTest.warnKeepsTheRowAndEveryExpectationCountsIndependently(Runners.flinkLocal());
  }
}
