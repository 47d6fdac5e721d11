package dev.ticklake.orchestrator.auth;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which requests need credentials, on both ports.
 *
 * <ul>
 *   <li>Application port: every mutating request (any method but GET, HEAD and OPTIONS) under
 *       {@code /api/}. With {@code protectReads}, also reads of task logs and of lineage, which
 *       show absolute paths of the lake and the machine.
 *   <li>Admin port: every task ({@code /tasks/...}: log-level, gc, ...), always. With {@code
 *       protectReads}, every other page too (metrics, threads, pprof) except {@code /ping} and
 *       {@code /healthcheck}, which load balancers probe.
 * </ul>
 *
 * @param protectReads {@code auth.protectReads}: whether the sensitive reads above need credentials
 */
public record AccessPolicy(boolean protectReads) {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Pattern SENSITIVE_API_READS =
      Pattern.compile("api/v1/lineage(/.*)?|api/v1/runs/[^/]+/tasks/[^/]+/logs(/.*)?");
  private static final Set<String> OPEN_ADMIN_PAGES = Set.of("ping", "healthcheck");

  /** Whether a request to the application port (path relative to the root) needs credentials. */
  public boolean apiRequiresAuthentication(String method, String path) {
    String p = relative(path);
    if (!(p.equals("api") || p.startsWith("api/"))) {
      return false;
    }
    return !isRead(method) || (protectReads && SENSITIVE_API_READS.matcher(p).matches());
  }

  /** Whether a request to the admin port (path relative to its root) needs credentials. */
  public boolean adminRequiresAuthentication(String path) {
    String p = relative(path);
    if (p.equals("tasks") || p.startsWith("tasks/")) {
      return true;
    }
    return protectReads && !OPEN_ADMIN_PAGES.contains(p);
  }

  private static boolean isRead(String method) {
    return READS.contains(method.toUpperCase(Locale.ROOT));
  }

  private static String relative(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
