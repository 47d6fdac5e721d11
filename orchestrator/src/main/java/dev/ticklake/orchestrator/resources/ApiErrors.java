package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.api.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** JSON error answers of every resource: {@code {"code": 400, "message": "..."}}. */
final class ApiErrors {
  private ApiErrors() {}

  static WebApplicationException badRequest(String message) {
    return error(Response.Status.BAD_REQUEST, message);
  }

  static WebApplicationException notFound(String message) {
    return error(Response.Status.NOT_FOUND, message);
  }

  static WebApplicationException error(Response.Status status, String message) {
    return error(status.getStatusCode(), message);
  }

  static WebApplicationException error(int status, String message) {
    return new WebApplicationException(response(status, message));
  }

  /** The answer itself, for exception mappers. */
  static Response response(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(status, message))
        .build();
  }
}
