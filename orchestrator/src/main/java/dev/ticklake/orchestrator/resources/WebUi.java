package dev.ticklake.orchestrator.resources;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The web UI: {@code /} serves {@code ui/index.html}, {@code /ui/*} its ES modules and CSS, {@code
 * /webjars/*} the chart library from its webjar. Plain servlets next to Jersey (which keeps {@code
 * /api/v1} and {@code /grafana}); a servlet's more specific mapping wins over Jersey's {@code /*}.
 */
public final class WebUi {

  /** Versioned webjar paths never change: cached for a year. */
  static final String WEBJAR_CACHE = "public, max-age=31536000, immutable";

  /** The UI's own files change with the jar: revalidated every time (ETag, Last-Modified). */
  static final String UI_CACHE = "no-cache";

  /** No inline script and no other origin: a rendered string can never run as code. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors"
          + " 'none'";

  private WebUi() {}

  public static void register(Environment environment) {
    var servlets = environment.servlets();
    servlets
        .addServlet("ui-index", new AssetServlet("/ui", "/", "index.html", StandardCharsets.UTF_8))
        .addMapping("");
    servlets
        .addServlet("ui", new AssetServlet("/ui", "/ui", "index.html", StandardCharsets.UTF_8))
        .addMapping("/ui/*");
    servlets
        .addServlet(
            "webjars",
            new AssetServlet(
                "/META-INF/resources/webjars", "/webjars", null, StandardCharsets.UTF_8))
        .addMapping("/webjars/*");
    servlets
        .addFilter("ui-headers", headers(UI_CACHE, true))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "", "/ui/*");
    servlets
        .addFilter("webjar-headers", headers(WEBJAR_CACHE, false))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/webjars/*");
  }

  private static Filter headers(String cacheControl, boolean policy) {
    return (request, response, chain) -> {
      HttpServletResponse r = (HttpServletResponse) response;
      r.setHeader("Cache-Control", cacheControl);
      r.setHeader("X-Content-Type-Options", "nosniff");
      if (policy && request instanceof HttpServletRequest) {
        r.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        r.setHeader("Referrer-Policy", "no-referrer");
      }
      chain.doFilter(request, response);
    };
  }
}
