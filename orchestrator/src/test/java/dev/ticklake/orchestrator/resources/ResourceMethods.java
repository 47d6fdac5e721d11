package dev.ticklake.orchestrator.resources;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Every JAX-RS resource method the application registered (TickLake's own classes), found by
 * reflection over the registered resource classes' {@code @Path} and HTTP method annotations: what
 * the OpenAPI and authentication tests check, so endpoints added later are covered without editing
 * the tests.
 */
record ResourceMethods(String httpMethod, String path, String javaMethod) {

  static List<ResourceMethods> of(ResourceConfig config) {
    Set<Class<?>> classes = new LinkedHashSet<>(config.getClasses());
    config.getInstances().forEach(i -> classes.add(i.getClass()));
    Set<ResourceMethods> out = new TreeSet<>(Comparator.comparing(ResourceMethods::toString));
    for (Class<?> c : classes) {
      Path classPath = c.getAnnotation(Path.class);
      if (classPath == null || !c.getName().startsWith("dev.ticklake.")) {
        continue;
      }
      for (Method m : c.getMethods()) {
        String verb = httpMethod(m);
        if (verb == null) {
          continue;
        }
        Path methodPath = m.getAnnotation(Path.class);
        out.add(
            new ResourceMethods(
                verb,
                normalize(classPath.value() + "/" + (methodPath == null ? "" : methodPath.value())),
                c.getSimpleName() + "." + m.getName()));
      }
    }
    return List.copyOf(out);
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
      if (h != null) {
        return h.value();
      }
    }
    return null;
  }

  /** {@code /api/v1/dags/{dagId}}: one leading slash, no doubles, no trailing, no regexes. */
  static String normalize(String path) {
    String p = ("/" + path).replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  boolean mutating() {
    return !Set.of("GET", "HEAD", "OPTIONS").contains(httpMethod);
  }

  /** The path with every template variable replaced by {@code x}. */
  String concretePath() {
    return path.replaceAll("\\{[^}]+}", "x");
  }
}
