package dev.ticklake.feeds;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP GET the market-data feeds share: {@link HttpClient} with a 10 s connect timeout, a 30 s
 * request timeout and a browser-like User-Agent (Yahoo answers 429 to Java's default one).
 * Thread-safe.
 */
final class Http {
  static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) TickLake/0.1";
  private static final int EXCERPT_CHARS = 200;

  private final HttpClient client;
  private final Duration requestTimeout;

  Http(Duration connectTimeout, Duration requestTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.requestTimeout = requestTimeout;
  }

  static Http withDefaults() {
    return new Http(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  /** A response: status and body text. */
  record Response(int status, String body) {
    /** The first 200 characters of the body, on one line. */
    String excerpt() {
      String oneLine = body.replaceAll("\\s+", " ").trim();
      return oneLine.length() <= EXCERPT_CHARS
          ? oneLine
          : oneLine.substring(0, EXCERPT_CHARS) + "...";
    }
  }

  /**
   * GETs {@code uri}. {@code what} names the request in errors (never the URI: it may hold a key).
   *
   * @throws FeedException if the request cannot be made or times out
   */
  Response get(URI uri, String what) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("User-Agent", USER_AGENT)
            .header("Accept", "application/json,text/csv,*/*")
            .GET()
            .build();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new FeedException(
          what + " failed: " + e + " (check the network, or the base URL " + base(uri) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FeedException(what + " was interrupted", e);
    }
  }

  private static String base(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
