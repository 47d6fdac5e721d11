package dev.ticklake.orchestrator.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Requires the API's credentials on Dropwizard's admin port where the {@link AccessPolicy} says so:
 * always for tasks (log-level, gc: anyone who reaches them could turn logging off), and for every
 * page but {@code /ping} and {@code /healthcheck} with {@code auth.protectReads}. Answers 401 with
 * the same JSON body and challenges as the application port.
 */
public final class AdminAuthFilter implements Filter {

  private final Authenticator authenticator;
  private final AccessPolicy policy;
  private final ObjectMapper json;

  public AdminAuthFilter(Authenticator authenticator, AccessPolicy policy, ObjectMapper json) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!policy.adminRequiresAuthentication(path)) {
      chain.doFilter(req, res);
      return;
    }
    String header = request.getHeader("Authorization");
    if (authenticator.authenticate(header).isPresent()) {
      chain.doFilter(req, res);
      return;
    }
    AuthChallenge challenge = AuthChallenge.of(authenticator, request.getMethod(), header);
    HttpServletResponse response = (HttpServletResponse) res;
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    challenge.wwwAuthenticate().forEach(value -> response.addHeader("WWW-Authenticate", value));
    response.setContentType("application/json");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", 401);
    body.put("message", challenge.message());
    json.writeValue(response.getOutputStream(), body);
  }
}
