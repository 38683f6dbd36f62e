package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.VersionState;
import io.edgeai4j.inference.serving.VersionStatus;
import io.edgeai4j.module.EdgeMessage;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code activate} request ({@code {"requestId", "model", "version"}}) and its {@code activated} answer
 * ({@code {"requestId", "model", "version", "outcome", "reason", "serving"}}), as {@code docs/model-updates.md}
 * describes them. Immutable.
 *
 * @param requestId Copied into the answer and its correlation id.
 * @param model A model name: a twin key and a directory name.
 * @param version The version asked for, at least 1.
 */
record Activation(String requestId, String model, long version) {
  /** The input that asks for an activation. */
  static final String INPUT = "activate";
  /** The output that answers it. */
  static final String OUTPUT = "activated";

  /** Twin-key rules and directory-name rules together: letters, digits, '_' and '-'. */
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Set<String> FIELDS = Set.of("requestId", "model", "version");
  private static final int MAX_REQUEST_ID_CHARS = 128;

  /**
   * Reads a request.
   *
   * @throws BadRequestException Naming the field at fault, what was found and what was expected.
   */
  static Activation parse(JsonNode body) throws BadRequestException {
    if (body == null || !body.isObject()) {
      throw new BadRequestException("", "the body must be an object {\"requestId\", \"model\", \"version\"}, found "
          + describe(body));
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new BadRequestException(name, "unknown field (expected requestId, model, version)");
      }
    }
    JsonNode id = body.get("requestId");
    if (id == null || !id.isTextual() || id.textValue().isBlank() || id.textValue().length() > MAX_REQUEST_ID_CHARS) {
      throw new BadRequestException("requestId", "must be a string of 1 to " + MAX_REQUEST_ID_CHARS
          + " characters, found " + describe(id));
    }
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || !MODEL.matcher(model.textValue()).matches()) {
      throw new BadRequestException("model", "must be a model name of 1 to 128 letters, digits, '_' or '-' (a twin"
          + " key and a directory name), found " + describe(model));
    }
    JsonNode version = body.get("version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 1) {
      throw new BadRequestException("version", "must be an integer 1 or more, found " + describe(version));
    }
    return new Activation(id.textValue(), model.textValue(), version.longValue());
  }

  /** The request id of a body that may not parse as a request: its {@code requestId} text, else null. */
  static String requestIdOf(JsonNode body) {
    JsonNode id = body == null ? null : body.get("requestId");
    return id != null && id.isTextual() && !id.textValue().isBlank() ? id.textValue() : null;
  }

  /** The versions READY in a model's status, ascending; empty for null. */
  static List<Long> serving(ModelStatus status) {
    return status == null ? List.of() : status.versions().stream().filter(v -> v.state() == VersionState.READY)
        .map(VersionStatus::version).toList();
  }

  /** The answer to this request: active. */
  ObjectNode active(List<Long> serving) {
    return answer(requestId, model, version, null, serving);
  }

  /** The answer to this request: failed, for {@code reason}. */
  ObjectNode failed(String reason, List<Long> serving) {
    return answer(requestId, model, version, reason, serving);
  }

  /**
   * An answer; {@code outcome} is {@code active} when {@code reason} is null, else {@code failed}. Fields that are
   * null (a malformed request's) are left out.
   */
  static ObjectNode answer(String requestId, String model, Long version, String reason, List<Long> serving) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    if (model != null) {
      body.put("model", model);
    }
    if (version != null) {
      body.put("version", version);
    }
    body.put("outcome", reason == null ? "active" : "failed");
    if (reason != null) {
      body.put("reason", reason);
    }
    serving.forEach(body.putArray("serving")::add);
    return body;
  }

  /** The answer's message: JSON, correlation id the request id (else the request message's own). */
  static EdgeMessage message(ObjectNode answer, EdgeMessage request) {
    EdgeMessage.Builder builder = EdgeMessage.builder().jsonBody(answer.toString());
    String correlationId = answer.hasNonNull("requestId") ? answer.get("requestId").textValue()
        : request.correlationId().or(request::messageId).orElse(null);
    if (correlationId != null) {
      builder.correlationId(correlationId);
    }
    return builder.build();
  }

  private static String describe(JsonNode node) {
    return io.edgeai4j.inference.serving.TensorJson.describe(node);
  }
}
