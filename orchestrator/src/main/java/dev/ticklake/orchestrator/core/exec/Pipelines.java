package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.dag.PipelineRegistry;
import dev.ticklake.orchestrator.core.lineage.PipelineLineage;
import dev.ticklake.pipelines.BuildGoldJob;
import dev.ticklake.pipelines.IngestBronzeJob;
import dev.ticklake.pipelines.RefineSilverJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The pipeline registry the scheduler and executors use: names to {@link Pipeline}s.
 *
 * <p>{@link #standard()} knows the TickLake jobs {@code ingest-bronze}, {@code refine-silver},
 * {@code build-gold}, plus the pipelines of every {@link PipelineProvider} on the class path (found
 * with {@link ServiceLoader}: how tests add their own, also in subprocess tries).
 *
 * <p>Task options are passed to the Beam jobs as {@code --key=value} arguments, after the run
 * context ({@code --lakeRoot}, {@code --runId}, {@code --taskId}, {@code --logicalTime}, the runner
 * and, for {@code ingest-bronze}, {@code --bootstrapServers}), so a DAG file can override them.
 * Unknown options fail the try as non-retryable (Beam's {@link IllegalArgumentException}).
 * Thread-safe; {@link #register} is for tests and extensions.
 */
public final class Pipelines implements PipelineRegistry {

  private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();

  /** The TickLake jobs and those of the {@link PipelineProvider}s on the class path. */
  public static Pipelines standard() {
    Pipelines p = new Pipelines();
    p.register("ingest-bronze", Pipelines::ingestBronze);
    p.register("refine-silver", Pipelines::refineSilver);
    p.register("build-gold", Pipelines::buildGold);
    ServiceLoader.load(PipelineProvider.class).forEach(provider -> provider.registerInto(p));
    return p;
  }

  public Pipelines register(String name, Pipeline pipeline) {
    pipelines.put(name, pipeline);
    return this;
  }

  @Override
  public Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(pipelines.keySet()));
  }

  public Optional<Pipeline> find(String name) {
    return Optional.ofNullable(pipelines.get(name));
  }

  /**
   * Beam arguments: runner and run context first, then the task's options, which override (one
   * argument per name: Beam rejects a repeated option).
   */
  static String[] beamArgs(Map<String, String> options, RunContext ctx, boolean withKafka) {
    Map<String, String> args = new LinkedHashMap<>(ctx.runner().beamOptions());
    args.put("lakeRoot", ctx.lakeRoot());
    args.put("runId", ctx.runId());
    args.put("taskId", ctx.taskId());
    args.put("logicalTime", ctx.logicalTime().toString());
    if (withKafka) {
      args.put("bootstrapServers", ctx.bootstrapServers());
    }
    if (ctx.runner().isFlinkRemote()) {
      // a name of its own, so that the try finds its job on the cluster (FlinkRemoteJobs)
      args.put("jobName", FlinkRemoteJobs.jobName(ctx));
    }
    args.putAll(options);
    List<String> out = new ArrayList<>();
    args.forEach((k, v) -> out.add("--" + k + "=" + v));
    return out.toArray(String[]::new);
  }

  static <T extends PipelineOptions> T options(
      Class<T> type, Map<String, String> options, RunContext ctx, boolean withKafka) {
    if (ctx.runner().isFlinkRemote()) {
      FlinkRemoteJobs.checkReady(ctx.runner());
    }
    return PipelineOptionsFactory.fromArgs(beamArgs(options, ctx, withKafka))
        .withValidation()
        .as(type);
  }

  private static PipelineOutcome ingestBronze(Map<String, String> options, RunContext ctx) {
    IngestBronzeJob.Options o = options(IngestBronzeJob.Options.class, options, ctx, true);
    IngestBronzeJob.Result r = IngestBronzeJob.run(o);
    return new PipelineOutcome(
        r.status().name(),
        oneLine(r.toString()),
        Map.of(PipelineOutcome.DETAIL, r.toString()),
        PipelineLineage.of(r, o.getLakeRoot(), o.getBootstrapServers(), o.getTopic()));
  }

  private static PipelineOutcome refineSilver(Map<String, String> options, RunContext ctx) {
    RefineSilverJob.Options o = options(RefineSilverJob.Options.class, options, ctx, false);
    RefineSilverJob.Result r = RefineSilverJob.run(o);
    return new PipelineOutcome(
        r.status().name(),
        oneLine(r.toString()),
        Map.of(
            "bronzeRows",
            Long.toString(r.bronzeRows()),
            "silverRowsWritten",
            Long.toString(r.silverRowsWritten()),
            "quarantinedRows",
            Long.toString(r.quarantinedRows()),
            PipelineOutcome.DETAIL,
            r.toString()),
        PipelineLineage.of(r, o.getLakeRoot()));
  }

  private static PipelineOutcome buildGold(Map<String, String> options, RunContext ctx) {
    BuildGoldJob.Options o = options(BuildGoldJob.Options.class, options, ctx, false);
    BuildGoldJob.Result r = BuildGoldJob.run(o);
    return new PipelineOutcome(
        r.status().name(),
        oneLine(r.toString()),
        Map.of(
            "silverVersion",
            Long.toString(r.silverVersion()),
            PipelineOutcome.DETAIL,
            r.toString()),
        PipelineLineage.of(r, o.getLakeRoot()));
  }

  /** The first line of a multi-line summary, plus a count of the others. */
  static String oneLine(String text) {
    String[] lines = text.strip().split("\\R");
    return lines.length == 1 ? lines[0] : lines[0] + " (+" + (lines.length - 1) + " lines)";
  }
}
