package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelRepositoryException;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.inference.serving.VersionState;
import io.edgeai4j.inference.serving.VersionStatus;
import io.edgeai4j.module.ModuleContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes what the model server serves: applies the twin's configuration, loads and unloads models for the direct
 * methods, and activates a version for a model-update module. Remembers the models a method loaded or unloaded until
 * the twin changes their entry. Made by {@link InferenceModule#start} and reached only through the handlers it
 * registers; holds nothing to close.
 *
 * <p>Thread-safe: its lock serialises the changes and guards the overrides; it is taken before {@link
 * ServingResources}' lock, never after. A change (load, warm-up, swap) runs on the twin, method or input thread that
 * asked for it with only this lock held, so requests never wait for it.
 */
final class ModelChanges {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceModule.class);
  /** The policy an activation serves its model with: the newest version directory. */
  private static final VersionPolicy ACTIVATED_POLICY = VersionPolicy.latest(1);

  private final ModuleContext context;
  private final ServingResources resources;

  private final Object lock = new Object();
  // Guarded by lock.
  /** Models loaded or unloaded by direct method since the twin last changed their entry (empty: unloaded). */
  private final Map<String, Optional<VersionPolicy>> overrides = new HashMap<>();

  ModelChanges(ModuleContext context, ServingResources resources) {
    this.context = context;
    this.resources = resources;
  }

  /**
   * Applies a configuration: opens the backend the first time, then serves the models it names. A repository that
   * lacks a model directory is applied as far as it goes and reported ({@code repositoryError}), never refused: the
   * module starts and serves the rest.
   */
  void apply(InferenceConfig config) throws Exception {
    synchronized (lock) {
      ServingResources.Serving opened = resources.openOrCheck(config);
      ModelServer s = opened.server();
      InferenceConfig before = opened.config();
      if (before != null) {
        overrides.keySet().removeIf(model -> !Objects.equals(before.models().get(model),
            config.models().get(model)));
      }
      Map<String, VersionPolicy> served = served(config);
      Path repository = config.repository(context.environment());
      String problem = null;
      try {
        s.apply(new ServingConfig(repository, served));
      } catch (ModelRepositoryException e) {
        // The server applied all it could: take the configuration, and report what is missing.
        problem = "models: " + e.getMessage();
        LOG.warn("Module {}: the repository {} lacks what the twin names ({}); serving the rest",
            context.identity().moduleId(), repository.toAbsolutePath(), e.getMessage());
      }
      resources.applied(config, problem);
      resources.configure(config);
      LOG.info("Module {}: serving {} from {}", context.identity().moduleId(), served.keySet(),
          repository.toAbsolutePath());
    }
  }

  private Map<String, VersionPolicy> served(InferenceConfig config) {
    Map<String, VersionPolicy> served = new TreeMap<>();
    config.models().forEach((name, settings) -> served.put(name, settings.versionPolicy()));
    overrides.forEach((name, policy) -> {
      if (policy.isPresent()) {
        served.put(name, policy.get());
      } else {
        served.remove(name);
      }
    });
    return served;
  }

  /**
   * Loads a model with {@code policy}, which then overrides the twin's entry.
   *
   * @throws ModuleStopping When the server is closed or closes meanwhile.
   */
  ModelStatus load(String model, VersionPolicy policy) throws ModelRepositoryException, ModuleStopping {
    ModelStatus status;
    synchronized (lock) {
      ModelServer s = resources.server();
      if (s == null) {
        throw new ModuleStopping();
      }
      try {
        status = s.load(model, policy);
      } catch (IllegalStateException closed) {
        throw new ModuleStopping();
      }
      overrides.put(model, Optional.of(policy));
    }
    return status;
  }

  /**
   * Unloads a model, which stays unloaded until the twin changes its entry; false when no model of that name is
   * served.
   *
   * @throws ModuleStopping When the server is closed.
   */
  boolean unload(String model) throws ModuleStopping {
    synchronized (lock) {
      ModelServer s = resources.server();
      if (s == null) {
        throw new ModuleStopping();
      }
      if (s.models().stream().noneMatch(m -> m.name().equals(model))) {
        return false;
      }
      s.unload(model);
      overrides.put(model, Optional.empty());
    }
    return true;
  }

  /**
   * Activates a version and returns the answer. Refused (failed) unless the twin's {@code models} section serves the
   * model with {@code {"latest": 1}} (an entry without a policy included): the activation is not written anywhere,
   * so only then does the version activated serve again after a restart. Then the version must be the newest
   * version directory; the model is loaded with that same policy. A failed activation leaves the model's serving
   * configuration as it was (a model unloaded by method is unloaded again); a successful one ends a method's
   * override, so what serves is what the twin says.
   *
   * @throws ModuleStopping When the server is closed or closes meanwhile.
   */
  ObjectNode activate(Activation request) throws ModuleStopping {
    String model = request.model();
    long version = request.version();
    ObjectNode answer;
    synchronized (lock) {
      ServingResources.Serving now = resources.serving();
      ModelServer s = now.server();
      InferenceConfig config = now.config();
      if (s == null) {
        throw new ModuleStopping();
      }
      List<Long> before = Activation.serving(status(s, model));
      ModelSettings twin = config == null ? null : config.models().get(model);
      if (twin == null || !twin.versionPolicy().equals(ACTIVATED_POLICY)) {
        return request.failed("model '" + model + "' is not in the twin's models section with {\"versionPolicy\":"
            + " {\"latest\": 1}} (" + (twin == null ? "not there" : "found " + twin.versionPolicy()) + "); the"
            + " version activated would not survive a restart", before);
      }
      SortedSet<Long> onDisk;
      try {
        onDisk = s.versionDirectories(model);
      } catch (ModelRepositoryException e) {
        return request.failed(e.getMessage(), before);
      }
      Path dir = s.repository().resolve(model).resolve(Long.toString(version));
      if (!onDisk.contains(version)) {
        return request.failed("no directory " + dir + " (version directories of model '" + model + "': " + onDisk
            + ")", before);
      }
      if (onDisk.last() != version) {
        return request.failed("version " + version + " is not the newest version directory of model '" + model
            + "' (" + onDisk.last() + " is)", before);
      }
      ModelStatus status;
      try {
        status = s.load(model, ACTIVATED_POLICY);
      } catch (ModelRepositoryException e) {
        return request.failed(e.getMessage(), before);
      } catch (IllegalStateException closed) {
        throw new ModuleStopping();
      }
      if (resources.server() != s) {
        // stop() began during the load: whatever came of it, the restart reads the twin again.
        throw new ModuleStopping();
      }
      List<Long> serving = Activation.serving(status);
      VersionStatus asked = status.versions().stream().filter(v -> v.version() == version).findFirst().orElse(null);
      if (serving.contains(version)) {
        overrides.remove(model);
        answer = request.active(serving);
        LOG.info("Module {}: model '{}' version {} activated; serving {}", context.identity().moduleId(), model,
            version, serving);
      } else {
        if (overrides.containsKey(model) && overrides.get(model).isEmpty()) {
          s.unload(model);
          serving = List.of();
        }
        String reason = asked == null ? "version " + version + " is not served after loading"
            : asked.state() == VersionState.FAILED ? asked.detail()
            : "version " + version + " is " + asked.state().label() + ": " + asked.detail();
        answer = request.failed(reason, serving);
        LOG.warn("Module {}: model '{}' version {} not activated ({}); serving {}", context.identity().moduleId(),
            model, version, reason, serving);
      }
    }
    return answer;
  }

  /** A model's status in {@code s}, or null when it is not served (or {@code s} is null: the module is stopping). */
  static ModelStatus status(ModelServer s, String model) {
    return s == null ? null : s.models().stream().filter(m -> m.name().equals(model)).findFirst().orElse(null);
  }
}
