package io.edgeai4j.inference.module;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes result and error documents, and the messages that carry them on output {@code results}. Stateless. */
final class Results {
  /** The application property saying {@code ok} or {@code error}. */
  static final String STATUS = "status";
  /** The application property naming the predicted class. */
  static final String PREDICTION = "prediction";
  /** The application property holding the prediction's confidence. */
  static final String CONFIDENCE = "confidence";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Results() {}

  /**
   * The result document.
   *
   * @param predictions One per row of the labels output; empty when the model has no labels.
   */
  static ObjectNode ok(InferenceResult result, String correlationId, TensorEncoding encoding,
      List<Prediction> predictions) {
    ObjectNode body = NODES.objectNode();
    body.put(STATUS, "ok");
    body.put("correlationId", correlationId);
    body.put("model", result.model());
    body.put("version", result.version());
    ObjectNode latency = body.putObject("latencyMillis");
    latency.put("queue", millis(result.queueTime()));
    latency.put("compute", millis(result.computeTime()));
    latency.put("total", millis(result.totalTime()));
    body.put("batchSize", result.batchSize());
    ObjectNode outputs = body.putObject("outputs");
    for (Map.Entry<String, Tensor> e : new TreeMap<>(result.outputs()).entrySet()) {
      outputs.set(e.getKey(), TensorCodec.encode(e.getValue(), encoding));
    }
    if (predictions.size() == 1) {
      body.put("label", predictions.get(0).label());
      body.put(CONFIDENCE, predictions.get(0).confidence());
    } else if (predictions.size() > 1) {
      var labels = body.putArray("labels");
      for (Prediction p : predictions) {
        labels.addObject().put("label", p.label()).put(CONFIDENCE, p.confidence());
      }
    }
    return body;
  }

  /** The error document; {@code ids} fields may be null. */
  static ObjectNode error(Failure failure, InferMessage.RequestIds ids) {
    ObjectNode body = NODES.objectNode();
    body.put(STATUS, "error");
    body.put("correlationId", ids.correlationId());
    body.put("model", ids.model());
    if (ids.version() != null) {
      body.put("version", ids.version());
    }
    body.putObject("error").put("kind", failure.kind()).put("message", failure.message());
    return body;
  }

  /**
   * The message for output {@code results}: the input's application properties, then {@code model},
   * {@code version}, {@code status} and, for one predicted row, {@code prediction} and {@code confidence}
   * (a ground-truth {@code label} property of the input is kept as it came).
   */
  static EdgeMessage message(ObjectNode body, Map<String, String> inputProperties, String correlationId) {
    EdgeMessage.Builder message = jsonBody(body).properties(inputProperties).correlationId(correlationId);
    if (body.hasNonNull("model")) {
      message.property("model", body.get("model").asText());
    }
    if (body.hasNonNull("version")) {
      message.property("version", body.get("version").asText());
    }
    message.property(STATUS, body.get(STATUS).asText());
    if (body.has("error")) {
      message.property("errorKind", body.at("/error/kind").asText());
    }
    if (body.hasNonNull("label")) {
      message.property(PREDICTION, body.get("label").asText());
      message.property(CONFIDENCE, body.get(CONFIDENCE).asText());
    }
    return message.build();
  }

  /**
   * A builder with the document as its UTF-8 body ({@code application/json}, {@code utf-8}), as
   * {@code jsonBody(body.toString())} gives, written straight to bytes (base64 of binary nodes included) rather
   * than through a {@code String}. A document Jackson cannot write as UTF-8 (a lone surrogate in a text) takes
   * the {@code String} path, which writes {@code ?} for it.
   */
  private static EdgeMessage.Builder jsonBody(ObjectNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return EdgeMessage.builder().jsonBody(body.toString());
    }
    return EdgeMessage.builder().body(bytes).contentType(SystemProperties.APPLICATION_JSON)
        .contentEncoding(SystemProperties.UTF_8);
  }

  /** A duration in milliseconds, to the microsecond. */
  static double millis(Duration d) {
    return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }
}
