package io.edgeai4j.inference.module;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a request came from, as far as its answer needs it: the input ({@code infer}, {@code features} or
 * {@code windows}), how its result's tensors are written, and for a sensor's message the sensor, the least confidence
 * of an alert, and the message's {@code source}, {@code windowStart} and {@code windowEnd}. A split model's part carries
 * it to the next part inside the activations payload (as JSON), so the last part answers as the unsplit model would
 * have. Immutable.
 *
 * @param input The input the request came on.
 * @param outputEncoding How the result's tensors are written.
 * @param sensor The sensor of a {@code features} or {@code windows} message; null for {@code infer}.
 * @param minConfidence The sensor mapping's least confidence of an alert.
 * @param source The message's {@code source}; may be null.
 * @param windowStart The message's {@code windowStart}; may be null.
 * @param windowEnd The message's {@code windowEnd}; may be null.
 */
record RequestOrigin(String input, TensorEncoding outputEncoding, String sensor, double minConfidence,
    JsonNode source, JsonNode windowStart, JsonNode windowEnd) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An {@code infer} request. */
  static RequestOrigin infer(TensorEncoding outputEncoding) {
    return new RequestOrigin("infer", outputEncoding, null, 0, null, null, null);
  }

  /** A sensor's {@code features} or {@code windows} message, mapped to a model by {@code mapping}. */
  static RequestOrigin sensor(String input, String sensor, JsonNode body, FeatureMapping mapping) {
    return new RequestOrigin(input, TensorEncoding.JSON, sensor, mapping.minConfidence(), body.get("source"),
        body.get("windowStart"), body.get("windowEnd"));
  }

  /** Whether a result raises alerts: the request came from a sensor's message. */
  boolean fromSensor() {
    return sensor != null;
  }

  /** As JSON text, for the activations payload. */
  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("input", input);
    node.put("outputEncoding", outputEncoding.spelling());
    if (sensor != null) {
      node.put("sensor", sensor);
      node.put("minConfidence", minConfidence);
      node.set("source", source);
      node.set("windowStart", windowStart);
      node.set("windowEnd", windowEnd);
    }
    return node.toString();
  }

  /**
   * Reads {@link #toJson()}.
   *
   * @throws BadRequestException Naming what is wrong.
   */
  static RequestOrigin parse(String json) throws BadRequestException {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("", "the activations' request context is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject() || !node.path("input").isTextual()) {
      throw new BadRequestException("", "the activations' request context must be an object with \"input\", found "
          + json);
    }
    TensorEncoding encoding = TensorEncoding.parse(node.path("outputEncoding").asText("json"));
    JsonNode sensor = node.get("sensor");
    return new RequestOrigin(node.get("input").asText(), encoding, sensor == null || !sensor.isTextual() ? null
        : sensor.asText(), node.path("minConfidence").asDouble(0), node.get("source"), node.get("windowStart"),
        node.get("windowEnd"));
  }
}
