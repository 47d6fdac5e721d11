package dev.ticklake.pipelines;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options every TickLake pipeline has: where the lake is, and which orchestrator run it serves. */
public interface TickLakeOptions extends PipelineOptions {
  @Description("Root of the Delta tables: a local path or a Hadoop URI (file:, hdfs:, s3a:)")
  @Default.String("./lake")
  String getLakeRoot();

  void setLakeRoot(String value);

  @Description(
      "Hadoop settings for the lake's file system, key=value, comma-separated or repeated (e.g."
          + " fs.s3a.endpoint=http://host:9000); they apply to every table the job opens")
  @Default.InstanceFactory(EmptyList.class)
  List<String> getHadoop();

  void setHadoop(List<String> value);

  @Description("Orchestrator run id (recorded with each commit)")
  @Default.String("manual")
  String getRunId();

  void setRunId(String value);

  @Description("Orchestrator task id (recorded with each commit)")
  @Default.String("")
  String getTaskId();

  void setTaskId(String value);

  @Description("Logical time of the orchestrator run, ISO-8601 (recorded with each commit)")
  @Default.String("")
  String getLogicalTime();

  void setLogicalTime(String value);

  /** Default for list options: empty. */
  class EmptyList implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return new ArrayList<>();
    }
  }
}
