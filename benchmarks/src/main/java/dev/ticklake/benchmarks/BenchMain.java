package dev.ticklake.benchmarks;

import dev.ticklake.orchestrator.TickLakeApplication;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.setup.Bootstrap;

/**
 * {@code ci/bench.sh}'s entry point: the TickLake service's command line plus the {@code bench}
 * command, so the benchmark code stays out of the service jar.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    new TickLakeApplication() {
      @Override
      public void initialize(Bootstrap<TickLakeConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new BenchCommand());
      }
    }.run(args);
  }
}
