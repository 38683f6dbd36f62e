package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.serving.ModelRepositoryException;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.inference.serving.VersionState;
import io.edgeai4j.inference.serving.VersionStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.spi.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference module: serves the models its twin names from a model repository, through the backend chosen at
 * start, and answers input {@code infer} (tensors), input {@code features} (a sensor-ingestion features message,
 * mapped to a model by the twin), input {@code activate} (a model-update module's request to serve a staged version,
 * answered on output {@code activated}) and direct methods {@code infer}, {@code models}, {@code load} and
 * {@code unload}.
 * Results and errors go to output {@code results}; a features message classified as other than the model's first
 * class goes to output {@code alert} as well. A desired patch of {@code models} hot-swaps versions while requests
 * run. Reports backend and model states in reported property {@value #REPORTED_SECTION} whenever they change.
 *
 * <p>Owns the backend, the model server and the result threads; {@link #stop()} answers what is in flight (up
 * to {@link #DRAIN_TIMEOUT}), then closes the server (which drains what it accepted), the result threads and the
 * backend. Thread-safe: requests never wait for a model change (load, warm-up, swap), which runs on the twin or
 * method thread that asked for it, one change at a time.
 */
public final class InferenceModule implements EdgeModule {
  /** The reported property this module writes. */
  public static final String REPORTED_SECTION = "inference";
  /** How long {@link #stop()} waits for requests in flight to be answered. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(InferenceModule.class);
  private static final Duration STATUS_POLL = Duration.ofSeconds(1);
  private static final int RESULT_THREADS = 2;
  private static final int MAX_REPORTED_ERROR_CHARS = 1024;
  /** The policy an activation serves its model with: the newest version directory. */
  private static final VersionPolicy ACTIVATED_POLICY = VersionPolicy.latest(1);

  /** Serialises changes of the served models (twin applies, methods load and unload); taken before lifecycle. */
  private final Object changes = new Object();
  // Guarded by changes.
  /** Models loaded or unloaded by direct method since the twin last changed their entry (empty: unloaded). */
  private final Map<String, Optional<VersionPolicy>> overrides = new HashMap<>();

  // Guarded by lifecycle, which is only held briefly: never while a model loads.
  private final Object lifecycle = new Object();
  private InferenceBackend backend;
  private ModelServer server;
  private ResultSender sender;
  private InferenceConfig started;
  private InferenceConfig current;
  /** What the last apply could not find in the repository, or null. */
  private String repositoryError;

  /** Read without a lock by every request: set once, by the first apply, before any input is registered. */
  private volatile RequestHandler handler;
  private volatile ModuleContext context;

  // Guarded by reportLock, never taken while lifecycle is held.
  private final Object reportLock = new Object();
  private ObjectNode lastReported = JsonNodeFactory.instance.objectNode();

  @Override
  public void start(ModuleContext moduleContext) throws Exception {
    this.context = moduleContext;
    try {
      moduleContext.bindDesiredProperties(InferenceConfig.class, (config, version) -> apply(config));
      moduleContext.onInput("infer", message -> handler.onInfer(message));
      moduleContext.onInput("features", message -> handler.onFeatures(message));
      moduleContext.onInput(Activation.INPUT, this::onActivate);
      moduleContext.onMethod("infer", request -> handler.invokeInfer(request));
      moduleContext.onMethod("models", request -> models());
      moduleContext.onMethod("load", this::load);
      moduleContext.onMethod("unload", this::unload);
      moduleContext.schedule(STATUS_POLL, this::reportIfChanged);
    } catch (Exception | Error e) {
      // The host does not call stop() after a failed start: release the backend, server and threads here.
      try {
        stop();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    reportIfChanged();
  }

  /**
   * Applies a configuration: opens the backend the first time, then serves the models it names. Loads run with
   * only {@code changes} held, so requests go on meanwhile. A repository that lacks a model directory is applied as
   * far as it goes and reported ({@code repositoryError}), never refused: the module starts and serves the rest.
   */
  private void apply(InferenceConfig config) throws Exception {
    synchronized (changes) {
      ModelServer s;
      InferenceConfig before;
      synchronized (lifecycle) {
        if (server == null) {
          if (started != null) {
            throw new IllegalStateException("the module is stopping");
          }
          open(config);
        } else if (!java.util.Objects.equals(config.backend(), started.backend())
            || !config.backendOptions().equals(started.backendOptions())) {
          throw new IllegalArgumentException("backend and backendOptions are read at start only: found "
              + config.backend() + " " + config.backendOptions() + ", running " + started.backend() + " "
              + started.backendOptions() + "; restart the module to change them");
        }
        s = server;
        before = current;
      }
      if (before != null) {
        overrides.keySet().removeIf(model -> !java.util.Objects.equals(before.models().get(model),
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
      synchronized (lifecycle) {
        current = config;
        repositoryError = problem;
      }
      handler.configure(settings(config));
      LOG.info("Module {}: serving {} from {}", context.identity().moduleId(), served.keySet(),
          repository.toAbsolutePath());
    }
    reportIfChanged();
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

  private RequestHandler.Settings settings(InferenceConfig config) {
    return new RequestHandler.Settings(new TensorCodec(config.sharedDirectory(context.environment())),
        config.features(), config.maxInFlight());
  }

  /** Selects and opens the backend; a named one that is unavailable fails the start, listing every probe. */
  private void open(InferenceConfig config) throws Exception {
    List<Backends.Found> found = Backends.probeAll();
    Backends.Found chosen = Backends.select(config.backend(), found);
    String moduleId = context.identity().moduleId();
    backend = chosen.provider().open(config.backendOptions().toOptions());
    server = new ModelServer(backend, context.metricsRegistry(), moduleId);
    sender = new ResultSender(context::send, moduleId, RESULT_THREADS);
    handler = new RequestHandler(server, sender, context::send, settings(config));
    started = config;
    LOG.info("Module {}: backend {} ({}); backends found: {}", moduleId, chosen.provider().name(),
        chosen.probe().detail(), Backends.describe(found));
  }

  private MethodResponse models() {
    ModelServer s;
    String backendName;
    synchronized (lifecycle) {
      s = server;
      backendName = backend == null ? null : backend.name();
    }
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

  private MethodResponse load(MethodRequest request) {
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
    synchronized (changes) {
      ModelServer s = server();
      if (s == null) {
        return error(503, "shutting_down", "the module is stopping");
      }
      try {
        status = s.load(model, policy);
      } catch (ModelRepositoryException e) {
        return error(404, "load_failed", e.getMessage());
      } catch (IllegalStateException closed) {
        return error(503, "shutting_down", "the module is stopping");
      }
      overrides.put(model, Optional.of(policy));
    }
    reportIfChanged();
    return MethodResponse.ok(ModelReports.listed(status));
  }

  /**
   * Handles input {@code activate}: loads, warms up and golden-checks the newest version directory beside the
   * serving one (the twin must serve the model with {@code {"latest": 1}}, see {@link #activate}), and answers on
   * output {@code activated} whether the version asked for serves. Runs on the input's thread, one change at a time
   * with twin applies and methods; requests go on meanwhile. Every message is answered, an unexpected exception or
   * {@code Error} included (logged, answered failed), except when the module is stopping: then the message is
   * abandoned, unanswered, so that the hub offers it again after the restart (a {@code failed} answer would be taken
   * as final). A send of the answer that fails propagates (a retryable one has the hub offer the request again,
   * which is harmless: an activation is idempotent).
   */
  private MessageDisposition onActivate(EdgeMessage message) throws TransportException {
    String id = message.correlationId().or(message::messageId).orElse("(no id)");
    ObjectNode answer;
    JsonNode body = null;
    try {
      body = JsonBodies.parse(message);
      Activation request = Activation.parse(body);
      try {
        answer = activate(request);
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
    reportIfChanged();
    return MessageDisposition.COMPLETE;
  }

  /** The module is stopping (or its server closed during the activation): the request is left for the restart. */
  private static final class ModuleStopping extends Exception {
    ModuleStopping() {
      super("the module is stopping", null, false, false);
    }
  }

  /**
   * Activates a version. Refused (failed) unless the twin's {@code models} section serves the model with
   * {@code {"latest": 1}} (an entry without a policy included): the activation is not written anywhere, so only
   * then does the version activated serve again after a restart. Then the version must be the newest version
   * directory; the model is loaded with that same policy. A failed activation leaves the model's serving
   * configuration as it was (a model unloaded by method is unloaded again); a successful one ends a method's
   * override, so what serves is what the twin says.
   *
   * @throws ModuleStopping When the server is closed or closes meanwhile.
   */
  private ObjectNode activate(Activation request) throws ModuleStopping {
    String model = request.model();
    long version = request.version();
    ObjectNode answer;
    synchronized (changes) {
      ModelServer s;
      InferenceConfig config;
      synchronized (lifecycle) {
        s = server;
        config = current;
      }
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
      if (server() != s) {
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

  /** A model's status in the server, or null when it is not served (or the module is stopping). */
  private ModelStatus statusOrNull(String model) {
    return status(server(), model);
  }

  private static ModelStatus status(ModelServer s, String model) {
    return s == null ? null : s.models().stream().filter(m -> m.name().equals(model)).findFirst().orElse(null);
  }

  private MethodResponse unload(MethodRequest request) {
    String model = request.payload().path("model").asText("");
    synchronized (changes) {
      ModelServer s = server();
      if (s == null) {
        return error(503, "shutting_down", "the module is stopping");
      }
      if (s.models().stream().noneMatch(m -> m.name().equals(model))) {
        return error(404, "unknown_model", "model: no model named '" + model + "' is served");
      }
      s.unload(model);
      overrides.put(model, Optional.empty());
    }
    reportIfChanged();
    return MethodResponse.ok(JsonNodeFactory.instance.objectNode().put("model", model).put("unloaded", true));
  }

  private ModelServer server() {
    synchronized (lifecycle) {
      return server;
    }
  }

  private static MethodResponse error(int status, String kind, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", "error");
    body.putObject("error").put("kind", kind).put("message", message);
    return new MethodResponse(status, body);
  }

  /** Reports backend and model states when they differ from what was last reported. */
  private void reportIfChanged() {
    ModelServer s;
    InferenceConfig c;
    ModuleContext ctx = context;
    String backendName;
    String problem;
    synchronized (lifecycle) {
      s = server;
      backendName = backend == null ? null : backend.name();
      c = current;
      problem = repositoryError;
    }
    if (s == null || ctx == null) {
      return;
    }
    List<ModelStatus> models = s.models();
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    section.put("backend", backendName);
    section.put("repository", c == null ? null : c.repository(ctx.environment()).toString());
    section.set("models", ModelReports.reported(models));
    if (problem != null) {
      section.put("repositoryError", problem.length() <= MAX_REPORTED_ERROR_CHARS ? problem
          : problem.substring(0, MAX_REPORTED_ERROR_CHARS - 3) + "...");
    }
    synchronized (reportLock) {
      if (section.equals(lastReported)) {
        return;
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.set(REPORTED_SECTION, ModelReports.patch(lastReported, section));
      try {
        ctx.updateReportedProperties(patch);
        lastReported = section;
      } catch (TransportException | IllegalStateException e) {
        LOG.debug("Reported properties not updated now ({}); trying again in {} s", e.getMessage(),
            STATUS_POLL.toSeconds());
      }
    }
  }

  @Override
  public void stop() throws Exception {
    ModelServer s;
    InferenceBackend b;
    ResultSender r;
    RequestHandler h;
    synchronized (lifecycle) {
      s = server;
      b = backend;
      r = sender;
      h = handler;
      server = null;
      backend = null;
      sender = null;
    }
    try {
      if (h != null && !h.awaitIdle(DRAIN_TIMEOUT)) {
        LOG.warn("Stopping with {} requests unanswered after {} s", h.inFlight(), DRAIN_TIMEOUT.toSeconds());
      }
    } finally {
      // The server first: it drains what it accepted, and those completions still find the result threads
      // (a completion the closed pool refuses runs on the completing thread instead).
      try {
        if (s != null) {
          s.close();
        }
      } finally {
        try {
          if (r != null) {
            r.close();
          }
        } finally {
          if (b != null) {
            b.close();
          }
        }
      }
    }
  }
}
