package dev.ticklake.orchestrator.core.lineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.InputDataset;
import io.openlineage.client.OpenLineage.OutputDataset;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.utils.UUIDUtils;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the OpenLineage run events of a try: START, COMPLETE, FAIL. Pure (no I/O).
 *
 * <ul>
 *   <li>job: namespace from configuration (default {@code ticklake}), name {@code
 *       <dag_id>.<task_id>}, {@code jobType} facet (BATCH, TICKLAKE, TASK);
 *   <li>run id: a UUIDv7 derived deterministically from the DAG run's logical time and {@code
 *       run_id/task_id/try}, so every event of one try (and a re-sent event) has the same id;
 *   <li>{@code parent} facet: the DAG run (job {@code <dag_id>}, run id derived from the logical
 *       time and the run_id); {@code nominalTime}: the logical time;
 *   <li>datasets: START and FAIL carry the datasets the pipeline declares (no versions, since the
 *       try has not said what it read); COMPLETE carries what it reported, with a {@code version}
 *       facet per dataset; FAIL adds an {@code errorMessage} facet.
 * </ul>
 */
public final class OpenLineageEvents {

  /** The {@code producer} of every event. */
  public static final URI PRODUCER =
      URI.create("https://github.com/ticklake/ticklake/orchestrator");

  private final OpenLineage ol = new OpenLineage(PRODUCER);
  private final String namespace;

  public OpenLineageEvents(String namespace) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  public String namespace() {
    return namespace;
  }

  /** The identity of a try: enough to name its job and derive its run ids. */
  public record TryIdentity(
      String dagId, String runId, String taskId, int tryNumber, Instant logicalTime) {
    public String jobName() {
      return dagId + "." + taskId;
    }
  }

  /** The OpenLineage run id of a try: deterministic. */
  public static UUID runId(TryIdentity t) {
    return UUIDUtils.generateStaticUUID(
        t.logicalTime(),
        (t.runId() + "/" + t.taskId() + "#" + t.tryNumber()).getBytes(StandardCharsets.UTF_8));
  }

  /** The OpenLineage run id of the DAG run a try belongs to: deterministic. */
  public static UUID parentRunId(TryIdentity t) {
    return UUIDUtils.generateStaticUUID(
        t.logicalTime(), t.runId().getBytes(StandardCharsets.UTF_8));
  }

  public RunEvent start(TryIdentity t, PipelineLineage.Declared declared, Instant at) {
    return event(
        EventType.START, t, inputs(declared.inputs()), outputs(declared.outputs()), at, null);
  }

  public RunEvent complete(TryIdentity t, TaskLineage lineage, Instant at) {
    return event(
        EventType.COMPLETE,
        t,
        versionedInputs(lineage.inputs()),
        versionedOutputs(lineage.outputs()),
        at,
        null);
  }

  public RunEvent fail(
      TryIdentity t, PipelineLineage.Declared declared, Throwable error, Instant at) {
    return event(
        EventType.FAIL, t, inputs(declared.inputs()), outputs(declared.outputs()), at, error);
  }

  private RunEvent event(
      EventType type,
      TryIdentity t,
      List<InputDataset> inputs,
      List<OutputDataset> outputs,
      Instant at,
      Throwable error) {
    ZonedDateTime logical = t.logicalTime().atZone(ZoneOffset.UTC);
    OpenLineage.RunFacetsBuilder facets =
        ol.newRunFacetsBuilder()
            .parent(
                ol.newParentRunFacetBuilder()
                    .run(ol.newParentRunFacetRun(parentRunId(t)))
                    .job(ol.newParentRunFacetJob(namespace, t.dagId()))
                    .build())
            .put(
                "nominalTime",
                ol.newNominalTimeRunFacetBuilder().nominalStartTime(logical).build());
    if (error != null) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      facets.put(
          "errorMessage",
          ol.newErrorMessageRunFacet(String.valueOf(error.getMessage()), "Java", trace.toString()));
    }
    return ol.newRunEventBuilder()
        .eventType(type)
        .eventTime(at.atZone(ZoneOffset.UTC))
        .run(ol.newRunBuilder().runId(runId(t)).facets(facets.build()).build())
        .job(
            ol.newJobBuilder()
                .namespace(namespace)
                .name(t.jobName())
                .facets(
                    ol.newJobFacetsBuilder()
                        .put("jobType", ol.newJobTypeJobFacet("BATCH", "TICKLAKE", "TASK"))
                        .build())
                .build())
        .inputs(inputs)
        .outputs(outputs)
        .build();
  }

  private List<InputDataset> inputs(List<Dataset> datasets) {
    return datasets.stream()
        .map(d -> ol.newInputDatasetBuilder().namespace(d.namespace()).name(d.name()).build())
        .toList();
  }

  private List<OutputDataset> outputs(List<Dataset> datasets) {
    return datasets.stream()
        .map(d -> ol.newOutputDatasetBuilder().namespace(d.namespace()).name(d.name()).build())
        .toList();
  }

  private List<InputDataset> versionedInputs(List<DatasetVersion> versions) {
    List<InputDataset> out = new ArrayList<>();
    for (Map.Entry<Dataset, String> e : TaskLineage.byDataset(versions).entrySet()) {
      out.add(
          ol.newInputDatasetBuilder()
              .namespace(e.getKey().namespace())
              .name(e.getKey().name())
              .facets(versionFacet(e.getValue()))
              .build());
    }
    return out;
  }

  private List<OutputDataset> versionedOutputs(List<DatasetVersion> versions) {
    List<OutputDataset> out = new ArrayList<>();
    for (Map.Entry<Dataset, String> e : TaskLineage.byDataset(versions).entrySet()) {
      out.add(
          ol.newOutputDatasetBuilder()
              .namespace(e.getKey().namespace())
              .name(e.getKey().name())
              .facets(versionFacet(e.getValue()))
              .build());
    }
    return out;
  }

  private OpenLineage.DatasetFacets versionFacet(String version) {
    return ol.newDatasetFacetsBuilder().version(ol.newDatasetVersionDatasetFacet(version)).build();
  }
}
