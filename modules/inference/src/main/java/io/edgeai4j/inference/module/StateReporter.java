package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.spi.TransportException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports backend and model states in reported property {@value InferenceModule#REPORTED_SECTION} when they differ
 * from what was last reported; a report the hub does not take now is tried again at the next poll ({@link
 * #STATUS_POLL}). Made by {@link InferenceModule#start} and reached only through the handlers it registers; holds
 * nothing to close.
 *
 * <p>Thread-safe: what was last reported is guarded by its lock, which is never taken while {@link ServingResources}'
 * lock is held (the states are read first, then compared and sent under this lock).
 */
final class StateReporter {
  /** How often the states are polled for a change. */
  static final Duration STATUS_POLL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(InferenceModule.class);
  private static final int MAX_REPORTED_ERROR_CHARS = 1024;

  private final ModuleContext context;
  private final ServingResources resources;

  private final Object lock = new Object();
  // Guarded by lock.
  private ObjectNode lastReported = JsonNodeFactory.instance.objectNode();

  StateReporter(ModuleContext context, ServingResources resources) {
    this.context = context;
    this.resources = resources;
  }

  /** Reports backend and model states when they differ from what was last reported. */
  void reportIfChanged() {
    ServingResources.Snapshot now = resources.snapshot();
    ModelServer s = now.server();
    InferenceConfig c = now.config();
    String backendName = now.backendName();
    String problem = now.repositoryError();
    if (s == null) {
      return;
    }
    List<ModelStatus> models = s.models();
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    section.put("backend", backendName);
    section.put("repository", c == null ? null : c.repository(context.environment()).toString());
    section.set("models", ModelReports.reported(models));
    if (problem != null) {
      section.put("repositoryError", problem.length() <= MAX_REPORTED_ERROR_CHARS ? problem
          : problem.substring(0, MAX_REPORTED_ERROR_CHARS - 3) + "...");
    }
    synchronized (lock) {
      if (section.equals(lastReported)) {
        return;
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.set(InferenceModule.REPORTED_SECTION, ModelReports.patch(lastReported, section));
      try {
        context.updateReportedProperties(patch);
        lastReported = section;
      } catch (TransportException | IllegalStateException e) {
        LOG.debug("Reported properties not updated now ({}); trying again in {} s", e.getMessage(),
            STATUS_POLL.toSeconds());
      }
    }
  }
}
