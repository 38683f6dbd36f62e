package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.spi.TransportException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles input {@code activate}: reads the request, has {@link ModelChanges#activate} load, warm up and golden-check
 * the newest version directory beside the serving one, and answers on output {@code activated} whether the version
 * asked for serves. Every message is answered, an unexpected exception or {@code Error} included (logged, answered
 * failed), except when the module is stopping: then the message is abandoned, unanswered, so that the hub offers it
 * again after the restart (a {@code failed} answer would be taken as final). A send of the answer that fails
 * propagates (a retryable one has the hub offer the request again, which is harmless: an activation is idempotent).
 *
 * <p>Made by {@link InferenceModule#start} and reached only through the handlers it registers; holds nothing to close.
 * Thread-safe: it keeps no state of its own; the activation runs on the input's thread, one change at a time with twin
 * applies and methods (the lock of {@link ModelChanges}), and requests go on meanwhile.
 */
final class ActivationInput {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceModule.class);

  private final ModuleContext context;
  private final ModelChanges changes;
  private final ServingResources resources;
  private final StateReporter reporter;

  ActivationInput(ModuleContext context, ModelChanges changes, ServingResources resources, StateReporter reporter) {
    this.context = context;
    this.changes = changes;
    this.resources = resources;
    this.reporter = reporter;
  }

  MessageDisposition onActivate(EdgeMessage message) throws TransportException {
    String id = message.correlationId().or(message::messageId).orElse("(no id)");
    ObjectNode answer;
    JsonNode body = null;
    try {
      body = JsonBodies.parse(message);
      Activation request = Activation.parse(body);
      try {
        answer = changes.activate(request);
      } catch (ModuleStopping stopping) {
        LOG.info("Module {}: activate request {} abandoned: the module is stopping; the hub offers it again after"
            + " the restart", context.identity().moduleId(), id);
        return MessageDisposition.ABANDON;
      } catch (RuntimeException | Error e) {
        LOG.error("Module {}: activate request {} failed unexpectedly", context.identity().moduleId(), id, e);
        answer = request.failed("the activation failed unexpectedly: " + e, Activation.serving(statusOrNull(
            request.model())));
      }
    } catch (BadRequestException | IllegalStateException e) {
      // IllegalStateException: JsonBodies.parse's for a body that is not JSON (activate's own are caught above).
      String model = body != null && body.path("model").isTextual() ? body.get("model").textValue() : null;
      answer = Activation.answer(Activation.requestIdOf(body), null, null, e.getMessage(),
          model == null ? List.of() : Activation.serving(statusOrNull(model)));
      LOG.warn("Module {}: malformed activate request {}: {}", context.identity().moduleId(), id, e.getMessage());
    }
    context.send(Activation.OUTPUT, Activation.message(answer, message));
    reporter.reportIfChanged();
    return MessageDisposition.COMPLETE;
  }

  /** A model's status in the server, or null when it is not served (or the module is stopping). */
  private ModelStatus statusOrNull(String model) {
    return ModelChanges.status(resources.server(), model);
  }
}
