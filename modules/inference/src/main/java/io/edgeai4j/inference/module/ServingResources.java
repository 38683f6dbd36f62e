package io.edgeai4j.inference.module;

import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.module.ModuleContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inference module serves with: the backend, the model server, the result sender and the request handler,
 * opened by the first configuration applied, and the configuration in force with what the repository lacked.
 *
 * <p>Owned by {@link InferenceModule}, whose {@code stop()} calls {@link #close}; owns the backend, the server and
 * the result threads. Thread-safe: its fields are guarded by its lock, which is only held briefly (never while a
 * model loads) and is taken after {@link ModelChanges}' lock, never before; the handler is volatile, read without a
 * lock by every request.
 */
final class ServingResources {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceModule.class);
  private static final int RESULT_THREADS = 2;

  /** The server (null once stopping) and the configuration in force, for a change of the served models. */
  record Serving(ModelServer server, InferenceConfig config) {}

  /** What is reported and listed: as {@link Serving}, plus the backend's name and what the repository lacked. */
  record Snapshot(ModelServer server, String backendName, InferenceConfig config, String repositoryError) {}

  private final ModuleContext context;

  private final Object lock = new Object();
  // Guarded by lock.
  private InferenceBackend backend;
  private ModelServer server;
  private ResultSender sender;
  private InferenceConfig started;
  private InferenceConfig current;
  /** What the last apply could not find in the repository, or null. */
  private String repositoryError;

  /** Read without a lock by every request: set once, by the first apply, before any input is registered. */
  private volatile RequestHandler handler;
  /** Set with {@link #handler}. */
  private volatile ActivationsInput activations;

  ServingResources(ModuleContext context) {
    this.context = context;
  }

  /**
   * Opens the backend, server, sender and handler for the first configuration; checks that a later one keeps the
   * backend. Returns the server and the configuration in force before {@code config}.
   *
   * @throws IllegalStateException Once the module is stopping.
   * @throws IllegalArgumentException When a later configuration changes the backend or its options.
   */
  Serving openOrCheck(InferenceConfig config) throws Exception {
    synchronized (lock) {
      if (server == null) {
        if (started != null) {
          throw new IllegalStateException("the module is stopping");
        }
        open(config);
      } else if (!Objects.equals(config.backend(), started.backend())
          || !config.backendOptions().equals(started.backendOptions())) {
        throw new IllegalArgumentException("backend and backendOptions are read at start only: found "
            + config.backend() + " " + config.backendOptions() + ", running " + started.backend() + " "
            + started.backendOptions() + "; restart the module to change them");
      }
      return new Serving(server, current);
    }
  }

  /** Selects and opens the backend; a named one that is unavailable fails the start, listing every probe. */
  private void open(InferenceConfig config) throws Exception {
    List<Backends.Found> found = Backends.probeAll();
    Backends.Found chosen = Backends.select(config.backend(), found);
    String moduleId = context.identity().moduleId();
    backend = chosen.provider().open(config.backendOptions().toOptions());
    server = new ModelServer(backend, context.metricsRegistry(), moduleId);
    sender = new ResultSender(context::send, moduleId, RESULT_THREADS);
    ActivationMetrics activationMetrics = ActivationMetrics.forRegistry(context.metricsRegistry());
    handler = new RequestHandler(server, sender, context::send, settings(config),
        new ActivationForwarder(activationMetrics, moduleId));
    activations = new ActivationsInput(this, activationMetrics, moduleId, config.activations());
    started = config;
    LOG.info("Module {}: backend {} ({}); backends found: {}", moduleId, chosen.provider().name(),
        chosen.probe().detail(), Backends.describe(found));
  }

  /** Takes {@code config} as the configuration in force, with what the repository lacked ({@code problem}) or null. */
  void applied(InferenceConfig config, String problem) {
    synchronized (lock) {
      current = config;
      repositoryError = problem;
    }
  }

  /** Hands the request handler the settings of {@code config}. */
  void configure(InferenceConfig config) {
    handler.configure(settings(config));
    activations.configure(config.activations());
  }

  private RequestHandler.Settings settings(InferenceConfig config) {
    return new RequestHandler.Settings(new TensorCodec(config.sharedDirectory(context.environment())),
        config.features(), config.windows(), config.maxInFlight());
  }

  /** Input {@code activations}; null before the first apply. */
  ActivationsInput activations() {
    return activations;
  }

  /** The request handler; null before the first apply. */
  RequestHandler handler() {
    return handler;
  }

  /** The model server; null before the first apply and once stopping. */
  ModelServer server() {
    synchronized (lock) {
      return server;
    }
  }

  Serving serving() {
    synchronized (lock) {
      return new Serving(server, current);
    }
  }

  Snapshot snapshot() {
    synchronized (lock) {
      return new Snapshot(server, backend == null ? null : backend.name(), current, repositoryError);
    }
  }

  /**
   * Answers what is in flight (up to {@code drainTimeout}), then closes the server (which drains what it accepted),
   * the result threads and the backend.
   */
  void close(Duration drainTimeout) throws Exception {
    ModelServer s;
    InferenceBackend b;
    ResultSender r;
    RequestHandler h;
    ActivationsInput a = activations;
    synchronized (lock) {
      s = server;
      b = backend;
      r = sender;
      h = handler;
      server = null;
      backend = null;
      sender = null;
    }
    if (a != null) {
      a.stop();
    }
    try {
      if (h != null && !h.awaitIdle(drainTimeout)) {
        LOG.warn("Stopping with {} requests unanswered after {} s", h.inFlight(), drainTimeout.toSeconds());
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
