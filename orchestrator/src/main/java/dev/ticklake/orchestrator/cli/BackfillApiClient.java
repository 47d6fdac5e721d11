package dev.ticklake.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A small JSON client of the TickLake REST API for the CLI ({@link java.net.http.HttpClient}).
 * Credentials as in the auth contract: a bearer token when given, else basic auth with the user and
 * password when a password is given, else none. Errors become {@link CliException}s that say what
 * the server answered.
 */
public final class BackfillApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Optional<String> authorization;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param baseUrl e.g. {@code http://localhost:8080}
   * @param user basic-auth user (with {@code password})
   * @param password basic-auth password; null or empty: no basic auth
   * @param token bearer token; null or empty: none (wins over the password)
   */
  public BackfillApiClient(String baseUrl, String user, String password, String token) {
    String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    try {
      this.base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CliException("--url is not a URL: " + baseUrl);
    }
    if (token != null && !token.isBlank()) {
      authorization = Optional.of("Bearer " + token);
    } else if (password != null && !password.isEmpty()) {
      String pair = (user == null ? "admin" : user) + ":" + password;
      authorization =
          Optional.of(
              "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      authorization = Optional.empty();
    }
  }

  /** An answer: HTTP status and JSON body (a null node when the body is empty or not JSON). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The server's {@code message}, or the body as text. */
    public String message() {
      return body.hasNonNull("message") ? body.get("message").asText() : body.toString();
    }
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Answer post(String path, JsonNode body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Answer send(HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    authorization.ifPresent(a -> request.header("Authorization", a));
    HttpRequest r = request.build();
    HttpResponse<String> response;
    try {
      response = http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException(
          "cannot reach TickLake at " + base + " (is the server running? set --url)");
    } catch (IOException e) {
      throw new CliException(r.method() + " " + r.uri() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode body;
    try {
      body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      body = JSON.getNodeFactory().textNode(response.body());
    }
    if (response.statusCode() == 401) {
      throw new CliException(
          r.method()
              + " "
              + r.uri()
              + ": 401 unauthorized; give --user/--password, --token, or set"
              + " TICKLAKE_ADMIN_PASSWORD / TICKLAKE_API_TOKEN");
    }
    return new Answer(response.statusCode(), body);
  }
}
