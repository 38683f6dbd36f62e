package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the models of a repository ({@code <repository>/<model>/<version>/model.onnx} and {@code model.json}):
 * loads the versions each model's {@link VersionPolicy} picks, warms them up, routes requests to the newest READY
 * version (or the one asked for), batches them per version as Triton's dynamic batcher does, swaps versions without
 * failing a request, and keeps per-version metrics on the registry given.
 *
 * <p>{@link #infer} is thread-safe and never blocks on loading; {@link #apply}, {@link #load}, {@link #unload} and
 * {@link #close} are serialised with each other. The server owns every {@link LoadedModel} it loads and closes each
 * once no request uses it; the caller owns the backend and closes it after {@link #close()}.
 *
 * <p>This class holds the control lock, the closed flag and the repository; its parts do the rest: the
 * {@link ModelRegistry} (the models and draining versions), the {@link RequestRouter} (requests), the {@link HotSwap}
 * (version policy, swaps, unloads) and the {@link VersionLoader} (load, warm-up, golden check).
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
  /** The default for how long {@link #close()} waits for accepted requests to finish. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final Duration drainTimeout;
  private final Object control = new Object();
  private final ModelRegistry models = new ModelRegistry();
  private final RequestRouter router;
  private final HotSwap hotSwap;
  private volatile boolean closed;
  private volatile Path repository;

  /**
   * Creates a server that serves nothing until {@link #apply}.
   *
   * @param backend Loads the models; the caller owns it and closes it after this server.
   * @param registry Where the metrics go.
   * @param moduleLabel The {@code module} label of every series.
   */
  public ModelServer(InferenceBackend backend, PrometheusRegistry registry, String moduleLabel) {
    this(backend, registry, moduleLabel, DEFAULT_DRAIN_TIMEOUT);
  }

  /**
   * As {@link #ModelServer(InferenceBackend, PrometheusRegistry, String)}, with how long {@link #close()} waits for
   * accepted requests (a version still busy then is closed by its last request, later).
   */
  public ModelServer(InferenceBackend backend, PrometheusRegistry registry, String moduleLabel,
      Duration drainTimeout) {
    Objects.requireNonNull(backend, "backend");
    ServingMetrics metrics = ServingMetrics.forRegistry(Objects.requireNonNull(registry, "registry"));
    Objects.requireNonNull(moduleLabel, "moduleLabel");
    this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    this.router = new RequestRouter(models, metrics, moduleLabel, () -> closed);
    this.hotSwap = new HotSwap(models, new VersionLoader(backend, metrics, moduleLabel), metrics, moduleLabel);
  }

  /**
   * Runs a request on the version it names, or on the newest READY version. Never throws.
   *
   * <p>When the version's batching is off ({@code maxBatchSize} 1 or {@code maxQueueDelayMicros} 0), its queue is
   * empty and fewer than {@code instances} runs are in progress, the model runs on the calling thread: this call
   * then returns after the run, with the future already complete (its dependent stages ran on this thread too; use
   * the {@code ...Async} stages for slow continuations). Otherwise the request is queued and the future completes on
   * a worker thread of the version.
   *
   * @return Completes with the result, or exceptionally with an {@link InferenceFailure}.
   */
  public CompletableFuture<InferenceResult> infer(InferenceRequest request) {
    return router.infer(request);
  }

  /**
   * As {@link #infer(InferenceRequest)}, for a request whose inputs depend on the version that runs it: routes it
   * (to {@code version}, or the newest READY version), builds its inputs with that version's {@code model.json}
   * and offers them to that same version; when a hot swap retires the version first, the request is routed again
   * and built again for the next one. So a row built with one version's {@code featureInput} never runs on another.
   * Never throws: a failure of {@code inputs} fails the request (counted with no version).
   *
   * @param model The model's name.
   * @param version The version to run, or null for the newest READY version.
   * @param correlationId Echoed in logs; may be null.
   * @param inputs Builds the inputs from the descriptor of the version the request is routed to.
   * @return Completes with the result, or exceptionally with an {@link InferenceFailure}.
   */
  public CompletableFuture<InferenceResult> infer(String model, Long version, String correlationId,
      RequestInputs inputs) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(inputs, "inputs");
    return router.infer(model, version, correlationId, inputs);
  }

  /**
   * The {@code model.json} of one served version of a model: READY or DRAINING, or one of the last few versions of
   * a still-served model that finished draining (so the version named by an {@link InferenceResult} can be
   * described even when it closed right after answering). Thread-safe, never blocks.
   *
   * @return Empty when the model is not served or that version never served (LOADING, FAILED, unknown).
   */
  public Optional<ModelDescriptor> descriptor(String model, long version) {
    return models.descriptor(model, version);
  }

  /**
   * The {@code model.json} of the version a request naming {@code model} and {@code version} would be routed to
   * now: that version if it is READY, else (version null) the newest READY version. Thread-safe, never blocks.
   *
   * <p>Routing is decided again by {@link #infer}: a hot swap between this call and {@code infer} may route the
   * request to another version, so a caller that builds inputs from the descriptor uses
   * {@link #infer(String, Long, String, RequestInputs)}, and one that needs the descriptor of the version that
   * answered reads {@link #descriptor(String, long)} with {@link InferenceResult#version()}.
   *
   * @return Empty when the request would fail before being queued (unknown model or version, not READY, closed).
   */
  public Optional<ModelDescriptor> routedDescriptor(String model, Long version) {
    return router.routedDescriptor(model, version);
  }

  /**
   * Makes the served models match {@code config}: loads and warms up the versions each policy picks beside those
   * serving, switches requests to them, drains and closes versions no longer picked, unloads models not listed.
   * Returns when every new version is READY or FAILED. A model whose versions all fail keeps its previous versions.
   *
   * @throws ModelRepositoryException After applying everything it could, naming each model directory that is
   *     missing or holds no version.
   */
  public void apply(ServingConfig config) throws ModelRepositoryException {
    synchronized (control) {
      requireOpen();
      repository = config.repository();
      for (String name : models.names()) {
        if (!config.models().containsKey(name)) {
          unload(name);
        }
      }
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, VersionPolicy> e : new TreeMap<>(config.models()).entrySet()) {
        try {
          load(e.getKey(), e.getValue());
        } catch (ModelRepositoryException ex) {
          problems.add(ex.getMessage());
        }
      }
      if (!problems.isEmpty()) {
        throw new ModelRepositoryException(String.join("; ", problems));
      }
    }
  }

  /**
   * Loads (or reloads with another policy) one model of the repository last applied, as {@link #apply} does for
   * each model.
   *
   * @return The model's status once its new versions are READY or FAILED.
   * @throws ModelRepositoryException If no repository was applied, or the model's directory is missing or holds no
   *     version directory; the message names the path. The versions serving are left as they were.
   */
  public ModelStatus load(String model, VersionPolicy policy) throws ModelRepositoryException {
    Objects.requireNonNull(policy, "policy");
    synchronized (control) {
      requireOpen();
      if (repository == null) {
        throw new ModelRepositoryException("no model repository: apply a ServingConfig before loading model '"
            + model + "'");
      }
      return hotSwap.load(repository, model, policy);
    }
  }

  /**
   * The version directories of a model in the repository last applied, ascending (directories named by a positive
   * integer). Thread-safe; reads the disk.
   *
   * @throws ModelRepositoryException If no repository was applied, the model's name is not a directory name, or
   *     its directory is missing or holds no version directory; the message names the path.
   */
  public SortedSet<Long> versionDirectories(String model) throws ModelRepositoryException {
    Path root = repository;
    if (root == null) {
      throw new ModelRepositoryException("no model repository: apply a ServingConfig before asking for model '"
          + model + "'");
    }
    RepositoryLayout.checkModelName(root, model);
    return RepositoryLayout.versionsOnDisk(root.resolve(model));
  }

  /** The repository last applied, or null before the first {@link #apply}. Never blocks. */
  public Path repository() {
    return repository;
  }

  /**
   * Stops serving a model: requests naming it fail UNKNOWN_MODEL from now on; those accepted finish, then its
   * versions are closed. Returns without waiting for them. Does nothing for a model not served.
   */
  public void unload(String model) {
    synchronized (control) {
      hotSwap.unload(model);
    }
  }

  /** A snapshot of every served model, by name. */
  public List<ModelStatus> models() {
    return models.statuses();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the model server is closed");
    }
  }

  /**
   * Stops accepting requests (they fail SHUTTING_DOWN), lets those accepted finish (up to the drain timeout), closes
   * every loaded model and waits for the worker threads to end. Idempotent.
   */
  @Override
  public void close() {
    synchronized (control) {
      if (closed) {
        return;
      }
      closed = true;
      for (String name : models.names()) {
        unload(name);
      }
      List<ServedVersion> busy = List.copyOf(models.draining());
      try {
        CompletableFuture.allOf(busy.stream().map(ServedVersion::stopped).toArray(CompletableFuture[]::new))
            .get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        for (ServedVersion v : busy) {
          v.joinWorkers(drainTimeout);
        }
      } catch (TimeoutException e) {
        LOG.warn("model server closed with versions still running after {} ms: {} (each closes after its last"
            + " request)", drainTimeout.toMillis(), models.draining());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        LOG.warn("closing a model version failed", e);
      }
    }
  }
}
