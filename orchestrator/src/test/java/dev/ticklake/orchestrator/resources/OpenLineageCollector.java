package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real HTTP endpoint standing in for Marquez: keeps every OpenLineage event POSTed to {@code
 * /api/v1/lineage} and answers 201.
 */
final class OpenLineageCollector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  private OpenLineageCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/lineage",
        exchange -> {
          events.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    server.start();
  }

  /** Listens on a free port of 127.0.0.1. */
  static OpenLineageCollector start() {
    try {
      return new OpenLineageCollector();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of {@code lineage.url} that sends events here. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
  }

  /** Events received so far. */
  int size() {
    return events.size();
  }

  /** The events of one job ({@code <dag>.<task>}), in arrival order. */
  List<JsonNode> eventsOf(String job) {
    List<JsonNode> out = new ArrayList<>();
    for (String e : events) {
      try {
        JsonNode node = JSON.readTree(e);
        if (job.equals(node.at("/job/name").asText())) {
          out.add(node);
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return out;
  }

  /** "namespace|name" → dataset version ({@code <none>} without a version facet). */
  static Map<String, String> versions(JsonNode datasets) {
    Map<String, String> out = new TreeMap<>();
    datasets.forEach(
        d ->
            out.put(
                d.get("namespace").asText() + "|" + d.get("name").asText(),
                d.at("/facets/version/datasetVersion").asText("<none>")));
    return out;
  }
}
