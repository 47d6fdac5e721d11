package dev.ticklake.orchestrator.resources;

import dev.ticklake.orchestrator.auth.ApiPrincipal;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /api/v1/session}: checks credentials and changes nothing. The web UI's login form
 * calls it before keeping a credential; a POST, so {@link
 * dev.ticklake.orchestrator.auth.AuthFilter} answers 401 for missing or wrong credentials before
 * this method runs.
 */
@Path("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionResource {

  /** Who the credentials authenticate as: the actor recorded for their changes, and the scheme. */
  public record SessionView(String actor, String scheme) {}

  @POST
  public SessionView check(@Context SecurityContext security) {
    ApiPrincipal p =
        ApiPrincipal.of(security)
            .orElseThrow(
                () -> ApiErrors.error(Response.Status.UNAUTHORIZED, "credentials required"));
    return new SessionView(p.actor().name(), p.scheme());
  }
}
