package io.edgeai4j.modelupdate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference module's answer on input {@code activated}: {@code {"requestId", "model", "version", "outcome":
 * "active"|"failed", "reason", "serving"}}. Immutable.
 *
 * @param requestId The request's id, or null when the reply has none.
 * @param model The model.
 * @param version The version asked for.
 * @param active Whether the version serves now.
 * @param reason Why it failed, or null.
 * @param serving The versions serving after the request (may be empty).
 */
public record ActivationReply(String requestId, String model, long version, boolean active, String reason,
    List<Long> serving) {
  /** Copies the list. */
  public ActivationReply {
    serving = List.copyOf(serving);
  }

  /**
   * Reads a reply body.
   *
   * @throws IllegalArgumentException Naming the field that is missing or of the wrong type.
   */
  public static ActivationReply fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("activated: expected a JSON object, found " + body);
    }
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual()) {
      throw new IllegalArgumentException("activated.model: expected the model's name, found " + model);
    }
    JsonNode version = body.get("version");
    if (version == null || !version.canConvertToExactIntegral() || version.asLong() < 1) {
      throw new IllegalArgumentException("activated.version: expected an integer >= 1, found " + version);
    }
    JsonNode outcome = body.get("outcome");
    if (outcome == null || !(outcome.asText().equals("active") || outcome.asText().equals("failed"))) {
      throw new IllegalArgumentException("activated.outcome: expected \"active\" or \"failed\", found " + outcome);
    }
    List<Long> serving = new ArrayList<>();
    JsonNode servingNode = body.get("serving");
    if (servingNode != null && servingNode.isArray()) {
      servingNode.forEach(v -> serving.add(v.asLong()));
    }
    JsonNode requestId = body.get("requestId");
    JsonNode reason = body.get("reason");
    return new ActivationReply(requestId == null || requestId.isNull() ? null : requestId.asText(), model.asText(),
        version.asLong(), outcome.asText().equals("active"),
        reason == null || reason.isNull() ? null : reason.asText(), serving);
  }
}
