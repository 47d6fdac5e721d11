package dev.ticklake.testing;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipelines on the runners tests use. */
public final class Runners {
  private Runners() {}

  /** A DirectRunner pipeline with the runner's immutability and encodability checks on. */
  public static Pipeline direct() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(2);
    options.setBlockOnRun(true);
    return Pipeline.create(options);
  }

  /** A FlinkRunner pipeline on an embedded local Flink ({@code [local]}). */
  public static Pipeline flinkLocal() {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")
            .create();
    return Pipeline.create(options);
  }
}
