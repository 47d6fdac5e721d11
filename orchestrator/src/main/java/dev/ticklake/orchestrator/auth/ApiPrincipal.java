package dev.ticklake.orchestrator.auth;

import dev.ticklake.orchestrator.db.Actor;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated REST API caller: {@code user:<name>} (basic) or {@code token:<first 4 chars>…}
 * (bearer). Its name is the {@link Actor} recorded in the event log for the changes it makes.
 */
public record ApiPrincipal(Actor actor, String scheme) implements Principal {

  public ApiPrincipal {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(scheme, "scheme");
  }

  @Override
  public String getName() {
    return actor.name();
  }

  /** The caller of a request that went through {@link AuthFilter}, if it authenticated. */
  public static Optional<ApiPrincipal> of(SecurityContext context) {
    return context != null && context.getUserPrincipal() instanceof ApiPrincipal p
        ? Optional.of(p)
        : Optional.empty();
  }
}
