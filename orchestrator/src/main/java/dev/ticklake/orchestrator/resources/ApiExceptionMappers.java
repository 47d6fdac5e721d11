package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.core.backfill.BackfillRequestException;
import dev.ticklake.orchestrator.core.clear.ClearException;
import dev.ticklake.orchestrator.core.scheduler.RunRequestException;
import dev.ticklake.orchestrator.core.scheduler.UnknownDagException;
import dev.ticklake.orchestrator.serving.ServingRequestException;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * The domain exceptions the resources let through, answered as {@link ApiErrors} JSON with the
 * exception's message: a rejected backfill request with its own status, a clear 404 (unknown DAG,
 * run or task) or 409 (not clearable), a refused cancel or trigger (404/409), an unknown DAG 404, a
 * rejected read-layer request (400/413).
 */
public final class ApiExceptionMappers {
  private ApiExceptionMappers() {}

  /** Registers every mapper of this class. */
  public static void registerAll(JerseyEnvironment jersey) {
    jersey.register(new BackfillRequestMapper());
    jersey.register(new ClearMapper());
    jersey.register(new UnknownDagMapper());
    jersey.register(new RunRequestMapper());
    jersey.register(new ServingRequestMapper());
  }

  /** {@link ServingRequestException}: its status (400, 413), never a stack trace. */
  public static final class ServingRequestMapper
      implements ExceptionMapper<ServingRequestException> {
    @Override
    public Response toResponse(ServingRequestException e) {
      return ApiErrors.response(e.status(), e.getMessage());
    }
  }

  /** {@link BackfillRequestException}: its status (400, 404, 409). */
  public static final class BackfillRequestMapper
      implements ExceptionMapper<BackfillRequestException> {
    @Override
    public Response toResponse(BackfillRequestException e) {
      return ApiErrors.response(e.status(), e.getMessage());
    }
  }

  /** {@link ClearException}: 404 for {@link ClearException.Kind#NOT_FOUND}, else 409. */
  public static final class ClearMapper implements ExceptionMapper<ClearException> {
    @Override
    public Response toResponse(ClearException e) {
      Response.Status status =
          e.kind() == ClearException.Kind.NOT_FOUND
              ? Response.Status.NOT_FOUND
              : Response.Status.CONFLICT;
      return ApiErrors.response(status.getStatusCode(), e.getMessage());
    }
  }

  /** {@link RunRequestException} (a cancel or a trigger refused): its status (404, 409). */
  public static final class RunRequestMapper implements ExceptionMapper<RunRequestException> {
    @Override
    public Response toResponse(RunRequestException e) {
      return ApiErrors.response(e.status(), e.getMessage());
    }
  }

  /** {@link UnknownDagException}: 404. */
  public static final class UnknownDagMapper implements ExceptionMapper<UnknownDagException> {
    @Override
    public Response toResponse(UnknownDagException e) {
      return ApiErrors.response(Response.Status.NOT_FOUND.getStatusCode(), e.getMessage());
    }
  }
}
