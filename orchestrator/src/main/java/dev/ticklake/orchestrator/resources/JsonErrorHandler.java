package dev.ticklake.orchestrator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.orchestrator.api.ApiError;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a URI it cannot parse, a header too large, a path no context serves)
 * in the API's shape, {@code {"code": 400, "message": "..."}}, instead of an HTML page; never a
 * stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {

  private static final HttpField JSON =
      new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

  private final ObjectMapper json;

  public JsonErrorHandler(ObjectMapper json) {
    this.json = Objects.requireNonNull(json, "json");
    setShowStacks(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(JSON);
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return ByteBuffer.wrap(body(status, reason));
  }

  private byte[] body(int code, String message) {
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    try {
      return json.writeValueAsBytes(new ApiError(code, text));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an error body", e);
    }
  }
}
