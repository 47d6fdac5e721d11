package dev.ticklake.feeds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A local HTTP server on 127.0.0.1:0 that answers every request with recorded fixtures from {@code
 * src/test/resources/feeds/}, in the order they were queued (the last one repeats), and remembers
 * what was asked. No test reaches the internet.
 */
final class FixtureServer implements AutoCloseable {

  /** One queued answer. */
  record Answer(int status, byte[] body) {}

  private final HttpServer server;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> userAgents = Collections.synchronizedList(new ArrayList<>());

  FixtureServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestURI().toString());
          userAgents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
          Answer answer;
          synchronized (answers) {
            answer = answers.size() > 1 ? answers.poll() : answers.peek();
          }
          if (answer == null) {
            answer = new Answer(500, "no fixture queued".getBytes());
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.status(), answer.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
          }
        });
    server.start();
  }

  /** Queues the fixture {@code feeds/<name>} with {@code status}. */
  FixtureServer answer(int status, String fixture) {
    synchronized (answers) {
      answers.add(new Answer(status, fixture(fixture)));
    }
    return this;
  }

  /** Queues a literal body. */
  FixtureServer answerText(int status, String body) {
    synchronized (answers) {
      answers.add(new Answer(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Path and query of every request so far, in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  List<String> userAgents() {
    return List.copyOf(userAgents);
  }

  static byte[] fixture(String name) {
    try (InputStream in = FixtureServer.class.getResourceAsStream("/feeds/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture feeds/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
