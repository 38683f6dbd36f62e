package io.edgeai4j.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A direct-method call.
 *
 * @param methodName The method's name, as the caller spelled it.
 * @param payload The JSON payload; {@code NullNode} when the caller sent none.
 */
public record MethodRequest(String methodName, JsonNode payload) {
  /** Validates the fields. */
  public MethodRequest {
    Objects.requireNonNull(methodName, "methodName");
    Objects.requireNonNull(payload, "payload");
  }
}
