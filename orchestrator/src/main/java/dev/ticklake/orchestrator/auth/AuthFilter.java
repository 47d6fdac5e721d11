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
import java.util.Set;

/**
 * Requires authentication on every mutating request (any method but GET, HEAD and OPTIONS) under
 * {@code /api/}, for every resource, including ones added later: it runs before resource matching,
 * so an unauthenticated caller learns nothing (not even whether a path exists: 401, never 404).
 * Reads stay open.
 *
 * <p>Answers 401 with {@code WWW-Authenticate} challenges for the schemes that are configured and a
 * JSON body {@code {"code": 401, "message": "..."}}. On success the request's {@link
 * SecurityContext} carries an {@link ApiPrincipal}, whose actor the resources record.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

  public static final String REALM = "ticklake";
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final Authenticator authenticator;

  public AuthFilter(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
  }

  /** Whether a request with this method and path (relative to the root, e.g. api/v1/x) needs it. */
  public static boolean requiresAuthentication(String method, String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return !READS.contains(method.toUpperCase(java.util.Locale.ROOT))
        && (p.equals("api") || p.startsWith("api/"));
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!requiresAuthentication(request.getMethod(), request.getUriInfo().getPath())) {
      return; // reads are open: no credential check (and no PBKDF2 cost) on them
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    Optional<ApiPrincipal> principal = authenticator.authenticate(header);
    if (principal.isPresent()) {
      request.setSecurityContext(
          new Context(principal.get(), request.getSecurityContext().isSecure()));
      return;
    }
    String message =
        header == null
            ? "authentication required for " + request.getMethod() + ": " + howTo()
            : "invalid credentials: " + howTo();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", 401);
    body.put("message", message);
    Response.ResponseBuilder r =
        Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON).entity(body);
    if (authenticator.acceptsBasic() || !authenticator.acceptsBearer()) {
      r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    if (authenticator.acceptsBearer()) {
      r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
    }
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

  private String howTo() {
    StringBuilder sb = new StringBuilder("send ");
    if (authenticator.acceptsBasic()) {
      sb.append("'Authorization: Basic base64(")
          .append(authenticator.user())
          .append(
              ":<password>)' (auth.adminUser/auth.adminPassword; a generated password is in the"
                  + " file named at startup)");
    }
    if (authenticator.acceptsBearer()) {
      if (authenticator.acceptsBasic()) {
        sb.append(" or ");
      }
      sb.append("'Authorization: Bearer <token>' (one of auth.apiTokens)");
    }
    return sb.toString();
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
