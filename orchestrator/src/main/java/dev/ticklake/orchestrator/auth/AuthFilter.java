package dev.ticklake.orchestrator.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Requires authentication on the application port where the {@link AccessPolicy} says so (every
 * mutating request under {@code /api/}; with {@code auth.protectReads}, also reads of logs and
 * lineage), for every resource, including ones added later: it runs before resource matching, so an
 * unauthenticated caller learns nothing (not even whether a path exists: 401, never 404).
 *
 * <p>Answers 401 with {@code WWW-Authenticate} challenges for the schemes that are configured and a
 * JSON body {@code {"code": 401, "message": "..."}}. On success the request's {@link
 * SecurityContext} carries an {@link ApiPrincipal}, whose actor the resources record.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

  public static final String REALM = "ticklake";

  private final Authenticator authenticator;
  private final AccessPolicy policy;

  public AuthFilter(Authenticator authenticator, AccessPolicy policy) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!policy.apiRequiresAuthentication(request.getMethod(), request.getUriInfo().getPath())) {
      return; // open reads: no credential check (and no PBKDF2 cost) on them
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    Optional<ApiPrincipal> principal = authenticator.authenticate(header);
    if (principal.isPresent()) {
      request.setSecurityContext(
          new Context(principal.get(), request.getSecurityContext().isSecure()));
      return;
    }
    AuthChallenge challenge = AuthChallenge.of(authenticator, request.getMethod(), header);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", 401);
    body.put("message", challenge.message());
    Response.ResponseBuilder r =
        Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON).entity(body);
    challenge.wwwAuthenticate().forEach(value -> r.header(HttpHeaders.WWW_AUTHENTICATE, value));
    drain(request);
    request.abortWith(r.build());
  }

  /** Unread request bodies beyond this are not read: the connection is closed instead. */
  private static final long MAX_DRAINED_BYTES = 1L << 20;

  /**
   * Reads and discards the body of a refused request, so that the client, still sending or about to
   * reuse the connection, gets the 401 instead of a broken pipe.
   */
  private static void drain(ContainerRequestContext request) {
    if (!request.hasEntity()) {
      return;
    }
    try {
      InputStream in = request.getEntityStream();
      byte[] buffer = new byte[8192];
      long drained = 0;
      for (int n; drained < MAX_DRAINED_BYTES && (n = in.read(buffer)) > 0; ) {
        drained += n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer anyway
    }
  }

  private record Context(ApiPrincipal principal, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Basic".equals(principal.scheme()) ? SecurityContext.BASIC_AUTH : "Bearer";
    }
  }
}
