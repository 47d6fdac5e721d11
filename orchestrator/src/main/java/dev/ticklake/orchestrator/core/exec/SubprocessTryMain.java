package dev.ticklake.orchestrator.core.exec;

import dev.ticklake.orchestrator.core.retry.NonRetryableException;
import dev.ticklake.orchestrator.core.retry.Retryability;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Entry point of a child JVM started by {@link SubprocessExecutor} (not a user command): {@code
 * java -cp <service class path> dev.ticklake.orchestrator.core.exec.SubprocessTryMain
 * <request.json> <result.json>}.
 *
 * <p>Runs one try of a pipeline from {@link Pipelines#standard()} with the {@link RunContext} of
 * the request, writes the outcome or the error (class, message, non-retryable or not) to the result
 * file and exits: 0 on success, 1 on failure, 2 when the request cannot be read. Everything the
 * pipeline prints or logs (at INFO: the jar's logback.xml) goes to stdout/stderr, which the parent
 * keeps as the try's log. The child halts when its parent process dies, so a crashed service leaves
 * no orphan tries behind.
 */
public final class SubprocessTryMain {

  private SubprocessTryMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SubprocessTryMain <request.json> <result.json>");
      System.exit(2);
    }
    ProcessHandle.current()
        .parent()
        .ifPresent(p -> p.onExit().thenRun(SubprocessTryMain::haltWithParent));
    TaskRun run;
    try {
      run = ChildTryProtocol.readRequest(Path.of(args[0]));
    } catch (Exception e) {
      System.err.println("cannot read the try request " + args[0] + ": " + e);
      System.exit(2);
      return;
    }
    System.exit(runOnce(run, Path.of(args[1])));
  }

  /** The service died: the try's own processes must not outlive it either, then halt. */
  private static void haltWithParent() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    Runtime.getRuntime().halt(143);
  }

  /** Runs the try, writes the result file; returns the exit code. */
  static int runOnce(TaskRun run, Path resultFile) {
    RunContext ctx = run.context();
    System.out.println(
        Instant.now()
            + " child JVM pid "
            + ProcessHandle.current().pid()
            + ": try "
            + ctx.tryNumber()
            + " of "
            + ctx.runId()
            + "/"
            + ctx.taskId()
            + ", pipeline "
            + run.pipeline());
    System.out.flush();
    ChildTryProtocol.Result result;
    try {
      Pipeline pipeline =
          Pipelines.standard()
              .find(run.pipeline())
              .orElseThrow(
                  () -> new NonRetryableException("unknown pipeline '" + run.pipeline() + "'"));
      PipelineOutcome outcome = pipeline.run(run.options(), ctx);
      System.out.println(Instant.now() + " status " + outcome.status() + ": " + outcome.summary());
      Map<String, String> meta = new java.util.TreeMap<>(outcome.metadata());
      String detail = meta.remove(PipelineOutcome.DETAIL);
      if (!meta.isEmpty()) {
        System.out.println(Instant.now() + " metadata " + meta);
      }
      if (detail != null) {
        System.out.println(Instant.now() + " report:\n" + detail.strip());
      }
      result = new ChildTryProtocol.Result(outcome, null, null, false);
    } catch (Throwable e) {
      System.err.print(Instant.now() + " error: ");
      e.printStackTrace();
      result =
          new ChildTryProtocol.Result(
              null, e.getClass().getName(), e.getMessage(), !Retryability.isRetryable(e));
    }
    System.out.flush();
    System.err.flush();
    try {
      ChildTryProtocol.writeResult(resultFile, result);
    } catch (Exception e) {
      System.err.println("cannot write the try result " + resultFile + ": " + e);
      return 2;
    }
    return result.outcome() != null ? 0 : 1;
  }
}
