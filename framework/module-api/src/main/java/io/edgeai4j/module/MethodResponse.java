package io.edgeai4j.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * The answer to a direct-method call.
 *
 * @param status An HTTP-like status code: 200 for success, 4xx for a bad request, 5xx for a failure.
 * @param payload The JSON payload returned to the caller.
 */
public record MethodResponse(int status, JsonNode payload) {
  /** Validates the fields. */
  public MethodResponse {
    Objects.requireNonNull(payload, "payload");
  }

  /** Returns a 200 response with the payload. */
  public static MethodResponse ok(JsonNode payload) {
    return new MethodResponse(200, payload);
  }

  /** Returns a response whose payload is {@code {"error": message}}. */
  public static MethodResponse error(int status, String message) {
    return new MethodResponse(status, JsonNodeFactory.instance.objectNode().put("error", message));
  }
}
