package dev.ticklake.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A small client of a running TickLake server's REST API, for the CLI commands ({@code dags ...},
 * {@code backfill}). Sends JSON, reads JSON, and turns every failure into an {@link ApiException}
 * whose message says what happened and what to do (server not reachable, 401, 404, other errors
 * with the server's message). Thread-safe; one instance per server.
 */
public final class ApiClient {

  /** Default server URL of the CLI commands. */
  public static final String DEFAULT_URL = "http://localhost:8080";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Credentials credentials;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param baseUrl the server, e.g. {@code http://localhost:8080} (paths are appended to it)
   * @param credentials sent on every request (reads are open, so none is fine for them)
   * @param timeout connect timeout and per-request timeout
   */
  public ApiClient(String baseUrl, Credentials credentials, Duration timeout) {
    String url = Objects.requireNonNull(baseUrl, "baseUrl").strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    try {
      this.base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ApiException("--url '" + baseUrl + "' is not a URL: " + e.getMessage());
    }
    if (base.getScheme() == null
        || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
        || base.getHost() == null) {
      throw new ApiException("--url '" + baseUrl + "' is not an http(s) URL like " + DEFAULT_URL);
    }
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public URI baseUrl() {
    return base;
  }

  /**
   * A path segment with everything but unreserved characters escaped ({@code a b} → {@code a%20b}).
   */
  public static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code GET path}; the parsed JSON answer of a 2xx. */
  public JsonNode get(String path) {
    return call("GET", path, null);
  }

  /** {@code POST path} with a JSON body (or none); the parsed JSON answer of a 2xx. */
  public JsonNode post(String path, JsonNode body) {
    return call("POST", path, body);
  }

  /** {@code PATCH path} with a JSON body; the parsed JSON answer of a 2xx. */
  public JsonNode patch(String path, JsonNode body) {
    return call("PATCH", path, body);
  }

  /**
   * Sends {@code method path} with {@code body} (null: none) and returns the JSON answer.
   *
   * @throws ApiException when the server cannot be reached or answers other than 2xx
   */
  public JsonNode call(String method, String path, JsonNode body) {
    Response r = send(method, path, body == null ? null : body.toString());
    if (r.status() / 100 != 2) {
      throw failure(method, path, r);
    }
    if (r.body().isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ApiException(
          method + " " + url(path) + " answered " + r.status() + " with non-JSON: " + r.body());
    }
  }

  /** A raw answer: status and body text. */
  public record Response(int status, String body) {}

  /** Sends a request and returns the raw answer, whatever its status. */
  public Response send(String method, String path, String jsonBody) {
    URI uri = url(path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    credentials.authorizationHeader().ifPresent(h -> b.header("Authorization", h));
    try {
      HttpResponse<String> response =
          http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      throw unreachable("connection refused");
    } catch (HttpTimeoutException e) {
      throw new ApiException(
          "the TickLake server at "
              + base
              + " did not answer within "
              + timeout.toSeconds()
              + " s");
    } catch (IOException e) {
      throw unreachable(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while calling " + uri);
    }
  }

  private URI url(String path) {
    return URI.create(base + (path.startsWith("/") ? path : "/" + path));
  }

  private ApiException unreachable(String why) {
    return new ApiException(
        "cannot reach the TickLake server at "
            + base
            + " ("
            + why
            + "); is it running (./ticklake server or ./ticklake demo)? Pass --url for another"
            + " address");
  }

  private ApiException failure(String method, String path, Response r) {
    String message = serverMessage(r.body());
    return switch (r.status()) {
      case 401 ->
          new ApiException(
              "401 Unauthorized from "
                  + base
                  + ": "
                  + (credentials.authorizationHeader().isEmpty()
                      ? "no credentials were sent"
                      : "the credentials were refused")
                  + ". Pass --user/--password (or --token), or set TICKLAKE_ADMIN_PASSWORD or"
                  + " TICKLAKE_API_TOKEN; a generated password is in the server's"
                  + " auth.passwordFile (default ./data/admin-password.txt)",
              401);
      case 404 -> new ApiException("not found: " + message, 404);
      default ->
          new ApiException(
              method + " " + path + " failed with " + r.status() + ": " + message, r.status());
    };
  }

  /** The {@code message} of a JSON error body, else the body itself. */
  private static String serverMessage(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    return body.isBlank() ? "(empty answer)" : body.strip();
  }

  /** How to authenticate: a bearer token, or a user and password, or nothing. */
  public record Credentials(String user, String password, String token) {

    public static final Credentials NONE = new Credentials(null, null, null);

    /** The {@code Authorization} header value, if any credential is set. */
    public Optional<String> authorizationHeader() {
      if (token != null && !token.isBlank()) {
        return Optional.of("Bearer " + token.strip());
      }
      if (password != null && !password.isEmpty()) {
        String pair = (user == null || user.isBlank() ? "admin" : user) + ":" + password;
        return Optional.of(
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      }
      return Optional.empty();
    }
  }

  /** A failed call; {@link #status()} is the HTTP status, or 0 when there was no answer. */
  public static final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(String message) {
      this(message, 0);
    }

    public ApiException(String message, int status) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
