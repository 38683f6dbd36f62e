package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded {@code infer} request (input message or direct-method payload):
 * {@code {"model", "version"?, "correlationId"?, "inputs": {"x": tensor}, "outputEncoding"?}}. Immutable.
 *
 * @param model The model's name.
 * @param version The version asked for, or null for the current one.
 * @param correlationId The body's correlation id, else the fallback given to {@link #decode}; may be null.
 * @param inputs The tensors by name.
 * @param outputEncoding How the result's tensors are written.
 */
record InferMessage(String model, Long version, String correlationId, Map<String, Tensor> inputs,
    TensorEncoding outputEncoding) {

  /** The request for the model server. */
  InferenceRequest request() {
    return new InferenceRequest(model, version, inputs, correlationId);
  }

  /**
   * The correlation id and model of a body, as far as they can be read, so that an error result can carry
   * them even when the rest does not decode.
   */
  static RequestIds ids(JsonNode body, String fallbackCorrelationId) {
    String correlationId = fallbackCorrelationId;
    String model = null;
    Long version = null;
    if (body != null && body.isObject()) {
      JsonNode c = body.get("correlationId");
      if (c != null && c.isValueNode() && !c.isNull()) {
        correlationId = c.asText();
      }
      JsonNode m = body.get("model");
      if (m != null && m.isTextual()) {
        model = m.textValue();
      }
      JsonNode v = body.get("version");
      if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
        version = v.longValue();
      }
    }
    return new RequestIds(correlationId, model, version);
  }

  /** What identifies a request in its answer; any may be null. */
  record RequestIds(String correlationId, String model, Long version) {}

  /**
   * Decodes a request.
   *
   * @param body The JSON body.
   * @param fallbackCorrelationId Used when the body has no {@code correlationId}; may be null.
   * @param codec Decodes each tensor.
   * @throws BadRequestException Naming the JSON path at fault.
   */
  static InferMessage decode(JsonNode body, String fallbackCorrelationId, TensorCodec codec)
      throws BadRequestException {
    if (body == null || !body.isObject()) {
      throw new BadRequestException("", "the request must be a JSON object {\"model\", \"inputs\", ...}, found "
          + (body == null ? "nothing" : body.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
      String key = it.next();
      if (!key.equals("model") && !key.equals("version") && !key.equals("correlationId") && !key.equals("inputs")
          && !key.equals("outputEncoding")) {
        throw new BadRequestException(key, "unknown field; expected model, version, correlationId, inputs,"
            + " outputEncoding");
      }
    }
    JsonNode m = body.get("model");
    if (m == null || !m.isTextual() || m.textValue().isEmpty()) {
      throw new BadRequestException("model", "must be the model's name, found " + m);
    }
    Long version = null;
    JsonNode v = body.get("version");
    if (v != null && !v.isNull()) {
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1) {
        throw new BadRequestException("version", "must be a version number 1 or more, found " + v);
      }
      version = v.longValue();
    }
    TensorEncoding encoding = TensorEncoding.JSON;
    JsonNode e = body.get("outputEncoding");
    if (e != null && !e.isNull()) {
      if (!e.isTextual()) {
        throw new BadRequestException("outputEncoding", "must be \"json\" or \"base64\", found " + e);
      }
      encoding = TensorEncoding.parse(e.textValue());
    }
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isObject() || inputs.isEmpty()) {
      throw new BadRequestException("inputs", "must be an object of tensors by input name, e.g. {\"x\": {\"shape\":"
          + " [1, 4], \"data\": [...]}}, found " + inputs);
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> field = it.next();
      tensors.put(field.getKey(), codec.decode(field.getKey(), field.getValue(), "inputs." + field.getKey()));
    }
    return new InferMessage(m.textValue(), version, ids(body, fallbackCorrelationId).correlationId(), tensors,
        encoding);
  }
}
