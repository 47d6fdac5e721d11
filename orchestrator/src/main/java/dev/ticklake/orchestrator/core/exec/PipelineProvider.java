package dev.ticklake.orchestrator.core.exec;

/**
 * Adds pipelines to {@link Pipelines#standard()}. Implementations are found with {@link
 * java.util.ServiceLoader} ({@code
 * META-INF/services/dev.ticklake.orchestrator.core.exec.PipelineProvider}), so an extension jar or
 * a test class path can bring its own pipelines, and a subprocess try, which builds its registry
 * anew, sees the same ones.
 */
public interface PipelineProvider {

  /** Registers this provider's pipelines; a name already taken is replaced. */
  void registerInto(Pipelines pipelines);
}
