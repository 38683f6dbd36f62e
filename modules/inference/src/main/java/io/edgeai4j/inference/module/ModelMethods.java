package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelRepositoryException;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;

/**
 * Answers direct methods {@code models}, {@code load} and {@code unload}: reads the call, has {@link ModelChanges}
 * make the change, and writes the answer or the error document. Made by {@link InferenceModule#start} and reached only
 * through the handlers it registers; holds nothing to close. Thread-safe: it keeps no state of its own; the changes
 * are serialised by {@link ModelChanges}.
 */
final class ModelMethods {
  private final ModelChanges changes;
  private final ServingResources resources;
  private final StateReporter reporter;

  ModelMethods(ModelChanges changes, ServingResources resources, StateReporter reporter) {
    this.changes = changes;
    this.resources = resources;
    this.reporter = reporter;
  }

  MethodResponse models() {
    ServingResources.Snapshot now = resources.snapshot();
    ModelServer s = now.server();
    String backendName = now.backendName();
    if (s == null) {
      return error(503, "shutting_down", "the module is stopping");
    }
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("backend", backendName);
    var list = payload.putArray("models");
    for (ModelStatus m : s.models()) {
      list.add(ModelReports.listed(m));
    }
    return MethodResponse.ok(payload);
  }

  MethodResponse load(MethodRequest request) {
    JsonNode payload = request.payload();
    String model = payload.path("model").asText("");
    if (!TwinKeys.isValid(model)) {
      return error(400, Failure.BAD_REQUEST, "model: must name a model (" + TwinKeys.RULE + "), found "
          + payload.get("model"));
    }
    VersionPolicy policy;
    try {
      JsonNode node = payload.get("versionPolicy");
      policy = node == null || node.isNull() ? ModelSettings.DEFAULT.versionPolicy()
          : ModelSettings.policy(node, "versionPolicy");
    } catch (IllegalArgumentException e) {
      return error(400, Failure.BAD_REQUEST, e.getMessage());
    }
    ModelStatus status;
    try {
      status = changes.load(model, policy);
    } catch (ModelRepositoryException e) {
      return error(404, "load_failed", e.getMessage());
    } catch (ModuleStopping stopping) {
      return error(503, "shutting_down", "the module is stopping");
    }
    reporter.reportIfChanged();
    return MethodResponse.ok(ModelReports.listed(status));
  }

  MethodResponse unload(MethodRequest request) {
    String model = request.payload().path("model").asText("");
    try {
      if (!changes.unload(model)) {
        return error(404, "unknown_model", "model: no model named '" + model + "' is served");
      }
    } catch (ModuleStopping stopping) {
      return error(503, "shutting_down", "the module is stopping");
    }
    reporter.reportIfChanged();
    return MethodResponse.ok(JsonNodeFactory.instance.objectNode().put("model", model).put("unloaded", true));
  }

  private static MethodResponse error(int status, String kind, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", "error");
    body.putObject("error").put("kind", kind).put("message", message);
    return new MethodResponse(status, body);
  }
}
