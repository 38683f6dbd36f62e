package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
  private static final Pattern VERSION_DIR = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  /** The default for how long {@link #close()} waits for accepted requests to finish. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final int RETIRED_DESCRIPTORS_KEPT = 8;

  private final InferenceBackend backend;
  private final ServingMetrics metrics;
  private final String moduleLabel;
  private final Duration drainTimeout;
  private final Object control = new Object();
  private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
  private final Set<ServedVersion> draining = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private volatile Path repository;

  /** A served model: the versions requests may use, and those that failed or are loading. */
  private static final class ServedModel {
    final String name;
    /** READY (when published) versions, ascending; replaced as a whole, never mutated. */
    volatile List<ServedVersion> serving = List.of();
    /** LOADING and FAILED versions, by number. */
    volatile Map<Long, VersionStatus> others = Map.of();
    /** The descriptors of the last few versions retired, by number (so a late answer can still be described). */
    final Map<Long, ModelDescriptor> retired = java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, ModelDescriptor> eldest) {
            return size() > RETIRED_DESCRIPTORS_KEPT;
          }
        });

    ServedModel(String name) {
      this.name = name;
    }
  }

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
    this.backend = Objects.requireNonNull(backend, "backend");
    this.metrics = ServingMetrics.forRegistry(Objects.requireNonNull(registry, "registry"));
    this.moduleLabel = Objects.requireNonNull(moduleLabel, "moduleLabel");
    this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
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
    long accepted = System.nanoTime();
    CompletableFuture<InferenceResult> result = new CompletableFuture<>();
    try {
      route(request, accepted, result);
    } catch (InferenceFailure f) {
      metrics.failedUnrouted(moduleLabel, modelLabel(request.model()), f.kind());
      result.completeExceptionally(f);
    } catch (RuntimeException e) {
      metrics.failedUnrouted(moduleLabel, modelLabel(request.model()), FailureKind.MODEL_FAILED);
      result.completeExceptionally(new InferenceFailure(FailureKind.MODEL_FAILED, "request to model '"
          + request.model() + "' failed: " + e, e));
    }
    return result;
  }

  /** The {@code model} label of a request that failed before a version was chosen: empty unless it is served. */
  private String modelLabel(String requested) {
    return models.containsKey(requested) ? requested : "";
  }

  private void route(InferenceRequest request, long accepted, CompletableFuture<InferenceResult> result)
      throws InferenceFailure {
    // A version refuses a request only once it is retiring, after the lists were republished without it;
    // reading them again finds its successor (or that it is gone).
    for (int attempt = 0; attempt < 1000; attempt++) {
      if (closed) {
        throw new InferenceFailure(FailureKind.SHUTTING_DOWN, "the model server is shutting down", null);
      }
      ServedModel model = models.get(request.model());
      if (model == null) {
        if (closed) {
          // close() sets closed before it unloads: a request that passed the check above while close() began
          // finds its model gone and is told the truth.
          throw new InferenceFailure(FailureKind.SHUTTING_DOWN, "the model server is shutting down", null);
        }
        throw new InferenceFailure(FailureKind.UNKNOWN_MODEL, "no model named '" + request.model()
            + "' is served; served models: " + new TreeSet<>(models.keySet()), null);
      }
      ServedVersion version = pick(model, request.version());
      if (version.offer(request, accepted, result)) {
        return;
      }
    }
    throw new InferenceFailure(FailureKind.NOT_READY, "model '" + request.model()
        + "': no version would accept the request (versions kept changing)", null);
  }

  /**
   * The {@code model.json} of one served version of a model: READY or DRAINING, or one of the last few versions of
   * a still-served model that finished draining (so the version named by an {@link InferenceResult} can be
   * described even when it closed right after answering). Thread-safe, never blocks.
   *
   * @return Empty when the model is not served or that version never served (LOADING, FAILED, unknown).
   */
  public Optional<ModelDescriptor> descriptor(String model, long version) {
    ServedModel served = models.get(model);
    if (served != null) {
      for (ServedVersion v : served.serving) {
        if (v.version() == version) {
          return Optional.of(v.descriptor());
        }
      }
    }
    for (ServedVersion v : draining) {
      if (v.model().equals(model) && v.version() == version) {
        return Optional.of(v.descriptor());
      }
    }
    return served == null ? Optional.empty() : Optional.ofNullable(served.retired.get(version));
  }

  /**
   * The {@code model.json} of the version a request naming {@code model} and {@code version} would be routed to
   * now: that version if it is READY, else (version null) the newest READY version. Thread-safe, never blocks.
   *
   * <p>Routing is decided again by {@link #infer}: a hot swap between this call and {@code infer} may route the
   * request to another version, so a caller that needs the descriptor of the version that answered reads
   * {@link #descriptor(String, long)} with {@link InferenceResult#version()}.
   *
   * @return Empty when the request would fail before being queued (unknown model or version, not READY, closed).
   */
  public Optional<ModelDescriptor> routedDescriptor(String model, Long version) {
    ServedModel served = models.get(model);
    if (served == null || closed) {
      return Optional.empty();
    }
    try {
      return Optional.of(pick(served, version).descriptor());
    } catch (InferenceFailure notRoutable) {
      return Optional.empty();
    }
  }

  private static ServedVersion pick(ServedModel model, Long wanted) throws InferenceFailure {
    List<ServedVersion> serving = model.serving;
    if (wanted == null) {
      if (serving.isEmpty()) {
        throw new InferenceFailure(FailureKind.NOT_READY, "model '" + model.name + "' has no READY version; versions: "
            + model.others.values(), null);
      }
      return serving.get(serving.size() - 1);
    }
    for (ServedVersion v : serving) {
      if (v.version() == wanted) {
        return v;
      }
    }
    VersionStatus other = model.others.get(wanted);
    if (other != null) {
      throw new InferenceFailure(FailureKind.NOT_READY, "model '" + model.name + "' version " + wanted + " is "
          + other.state() + ": " + other.detail(), null);
    }
    throw new InferenceFailure(FailureKind.UNKNOWN_VERSION, "model '" + model.name + "' has no version " + wanted
        + " served; served versions: " + serving.stream().map(ServedVersion::version).toList(), null);
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
      for (String name : List.copyOf(models.keySet())) {
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
      if (model == null || !MODEL_NAME.matcher(model).matches() || model.contains("..")) {
        throw new ModelRepositoryException(repository + ": model name '" + model + "' is not a directory name"
            + " (expected letters, digits, '_', '-', '.', at most 128)");
      }
      Path modelDir = repository.resolve(model);
      SortedSet<Long> onDisk = versionsOnDisk(modelDir);
      SortedSet<Long> wanted = policy.select(onDisk);
      ServedModel served = models.computeIfAbsent(model, ServedModel::new);
      List<ServedVersion> before = served.serving;
      Map<Long, VersionStatus> othersBefore = served.others;
      List<ServedVersion> after = new ArrayList<>();
      Map<Long, VersionStatus> others = new TreeMap<>();
      List<Long> toLoad = new ArrayList<>();
      for (long v : wanted) {
        Path dir = modelDir.resolve(Long.toString(v));
        ServedVersion same = before.stream().filter(s -> s.version() == v && s.directory().equals(dir)).findFirst()
            .orElse(null);
        if (same != null) {
          after.add(same);
        } else if (!onDisk.contains(v)) {
          others.put(v, new VersionStatus(v, VersionState.FAILED, dir + ": no such version directory (the version"
              + " policy " + policy + " asks for it)", Duration.ZERO));
          metrics.series(moduleLabel, model, v).claimState(VersionState.FAILED);
        } else {
          toLoad.add(v);
          others.put(v, new VersionStatus(v, VersionState.LOADING, "loading", Duration.ZERO));
          metrics.series(moduleLabel, model, v).claimState(VersionState.LOADING);
        }
      }
      served.others = Map.copyOf(others);
      for (long v : toLoad) {
        Path dir = modelDir.resolve(Long.toString(v));
        try {
          after.add(loadVersion(model, v, dir));
          others.remove(v);
        } catch (ModelRepositoryException | RuntimeException | Error e) {
          String detail = failedLoad(model, v, dir, e);
          others.put(v, new VersionStatus(v, VersionState.FAILED, detail, Duration.ZERO));
          metrics.series(moduleLabel, model, v).claimState(VersionState.FAILED);
        }
        served.others = Map.copyOf(others);
      }
      if (after.isEmpty() && before.isEmpty() && policy instanceof VersionPolicy.Latest latest && !wanted.isEmpty()) {
        fallBack(served, modelDir, onDisk.headSet(wanted.first()), latest.n(), others, after);
      }
      if (after.isEmpty() && !before.isEmpty()) {
        LOG.warn("model '{}': no version the policy {} picks is READY; versions {} keep serving", model, policy,
            before.stream().map(ServedVersion::version).toList());
        after.addAll(before);
      }
      after.sort(Comparator.comparingLong(ServedVersion::version));
      served.serving = List.copyOf(after);
      for (long v : othersBefore.keySet()) {
        // A version that failed or was loading before and that the policy no longer picks: clear its state.
        if (!others.containsKey(v) && after.stream().noneMatch(s -> s.version() == v)) {
          metrics.series(moduleLabel, model, v).claimState(VersionState.UNLOADED);
        }
      }
      for (ServedVersion old : before) {
        if (!after.contains(old)) {
          retire(served, old);
        }
      }
      return status(served);
    }
  }

  /**
   * With nothing serving before and every version a {@code latest} policy picks FAILED: loads the older version
   * directories, newest first, until {@code n} are READY or none is left. Each one tried and failed is recorded
   * FAILED in {@code others} (with the picked ones), so the status says which were skipped and why.
   */
  private void fallBack(ServedModel served, Path modelDir, SortedSet<Long> older, int n, Map<Long, VersionStatus> others,
      List<ServedVersion> after) {
    Map<Long, String> skipped = new TreeMap<>();
    others.forEach((v, status) -> skipped.put(v, status.detail()));
    for (long v : new TreeSet<>(older).descendingSet()) {
      if (after.size() == n) {
        break;
      }
      others.put(v, new VersionStatus(v, VersionState.LOADING, "loading (the newer versions failed)", Duration.ZERO));
      metrics.series(moduleLabel, served.name, v).claimState(VersionState.LOADING);
      served.others = Map.copyOf(others);
      try {
        after.add(loadVersion(served.name, v, modelDir.resolve(Long.toString(v))));
        others.remove(v);
        LOG.warn("model '{}': nothing was serving and the versions the policy picks failed; serving the older"
            + " version {} instead (skipped: {})", served.name, v, skipped);
      } catch (ModelRepositoryException | RuntimeException | Error e) {
        String detail = failedLoad(served.name, v, modelDir.resolve(Long.toString(v)), e);
        others.put(v, new VersionStatus(v, VersionState.FAILED, detail, Duration.ZERO));
        metrics.series(moduleLabel, served.name, v).claimState(VersionState.FAILED);
        skipped.put(v, detail);
      }
      served.others = Map.copyOf(others);
    }
    if (after.isEmpty()) {
      LOG.warn("model '{}': no version directory loads; none serves (failed: {})", served.name, skipped);
    }
  }

  /**
   * Logs a version's failed load and returns its FAILED detail. A failure other than a repository problem (a
   * backend's unchecked exception, an {@code OutOfMemoryError}) is logged with its stack trace and marks the
   * version FAILED all the same, so that no version stays LOADING and the versions serving keep serving.
   */
  private static String failedLoad(String model, long version, Path dir, Throwable e) {
    if (e instanceof ModelRepositoryException) {
      LOG.warn("model '{}' version {} failed to load: {}", model, version, e.getMessage());
      return e.getMessage();
    }
    LOG.error("model '{}' version {} failed to load with an unexpected {}", model, version,
        e.getClass().getName(), e);
    return dir + ": the load failed: " + e;
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
    if (model == null || !MODEL_NAME.matcher(model).matches() || model.contains("..")) {
      throw new ModelRepositoryException(root + ": model name '" + model + "' is not a directory name"
          + " (expected letters, digits, '_', '-', '.', at most 128)");
    }
    return versionsOnDisk(root.resolve(model));
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
      ServedModel served = models.remove(model);
      if (served == null) {
        return;
      }
      for (ServedVersion v : served.serving) {
        retire(served, v);
      }
      for (VersionStatus other : served.others.values()) {
        metrics.series(moduleLabel, model, other.version()).claimState(VersionState.UNLOADED);
      }
      LOG.info("model '{}' unloaded", model);
    }
  }

  private void retire(ServedModel served, ServedVersion version) {
    served.retired.put(version.version(), version.descriptor());
    draining.add(version);
    version.retire();
    version.stopped().thenRun(() -> draining.remove(version));
  }

  private ServedVersion loadVersion(String model, long version, Path dir) throws ModelRepositoryException {
    long start = System.nanoTime();
    ModelDescriptor descriptor = ModelDescriptor.read(dir.resolve("model.json"));
    GoldenSamples golden = null;
    Path goldenFile = dir.resolve(GoldenSamples.FILE_NAME);
    if (Files.exists(goldenFile)) {
      try {
        golden = GoldenSamples.read(goldenFile);
      } catch (ModelRepositoryException e) {
        metrics.goldenChecked(moduleLabel, model, version, "invalid");
        throw e;
      }
    }
    Path file = dir.resolve("model.onnx");
    if (!Files.isRegularFile(file)) {
      throw new ModelRepositoryException(file + ": no such file (every version directory needs a model.onnx)");
    }
    LoadedModel loaded;
    try {
      loaded = backend.load(file, descriptor.inputs());
    } catch (BackendException | RuntimeException e) {
      throw new ModelRepositoryException(file + ": the backend " + backend.name() + " could not load it: "
          + e.getMessage(), e);
    }
    try {
      Set<String> outputs = loaded.outputs().stream().map(TensorSpec::name).collect(Collectors.toSet());
      for (TensorSpec declared : descriptor.outputs()) {
        if (!outputs.contains(declared.name())) {
          throw new ModelRepositoryException(dir.resolve("model.json") + ": outputs declares '" + declared.name()
              + "', but the model's outputs are " + loaded.outputs());
        }
      }
      Map<String, Tensor> zeros = TensorRows.zeros(descriptor.inputs());
      for (int i = 0; i < descriptor.warmupRuns(); i++) {
        loaded.run(zeros);
      }
    } catch (ModelRepositoryException e) {
      loaded.close();
      throw e;
    } catch (InferenceException | RuntimeException e) {
      loaded.close();
      throw new ModelRepositoryException(file + ": warm-up run on zero inputs failed: " + e.getMessage(), e);
    } catch (Error e) {
      loaded.close();
      throw e;
    }
    String goldenResult = "no " + GoldenSamples.FILE_NAME + ", no golden check";
    if (golden != null) {
      try {
        golden.check(loaded, descriptor.inputs());
      } catch (GoldenCheckException | RuntimeException e) {
        loaded.close();
        metrics.goldenChecked(moduleLabel, model, version, "failed");
        throw new ModelRepositoryException(goldenFile + ": golden check failed: "
            + (e instanceof GoldenCheckException ? e.getMessage() : e.toString()), e);
      } catch (Error e) {
        loaded.close();
        metrics.goldenChecked(moduleLabel, model, version, "failed");
        throw e;
      }
      metrics.goldenChecked(moduleLabel, model, version, "passed");
      goldenResult = "golden check passed (" + golden.samples().size() + " samples)";
    }
    Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
    ServingMetrics.Series series = metrics.series(moduleLabel, model, version);
    series.loaded(loadTime);
    LOG.info("model '{}' version {} READY (loaded and warmed up in {} ms; {})", model, version, loadTime.toMillis(),
        goldenResult);
    return new ServedVersion(model, version, dir, descriptor, loaded, loadTime, goldenResult, series);
  }

  private static SortedSet<Long> versionsOnDisk(Path modelDir) throws ModelRepositoryException {
    if (!Files.isDirectory(modelDir)) {
      throw new ModelRepositoryException(modelDir + ": no such model directory");
    }
    SortedSet<Long> versions = new TreeSet<>();
    try (var entries = Files.list(modelDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && VERSION_DIR.matcher(name).matches()) {
          versions.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new ModelRepositoryException(modelDir + ": cannot list its version directories: " + e, e);
    }
    if (versions.isEmpty()) {
      throw new ModelRepositoryException(modelDir + ": no version directory (expected directories named by positive"
          + " integers, e.g. 1, holding model.onnx and model.json)");
    }
    return versions;
  }

  /** A snapshot of every served model, by name. */
  public List<ModelStatus> models() {
    return models.values().stream().sorted(Comparator.comparing(m -> m.name)).map(this::status).toList();
  }

  private ModelStatus status(ServedModel served) {
    List<ServedVersion> serving = served.serving;
    List<VersionStatus> versions = new ArrayList<>();
    serving.forEach(v -> versions.add(v.status()));
    for (ServedVersion v : draining) {
      if (!serving.contains(v) && v.model().equals(served.name)) {
        versions.add(v.status());
      }
    }
    versions.addAll(served.others.values());
    versions.sort(Comparator.comparingLong(VersionStatus::version));
    ModelDescriptor descriptor = serving.isEmpty() ? null : serving.get(serving.size() - 1).descriptor();
    return new ModelStatus(served.name, versions, descriptor);
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
      for (String name : List.copyOf(models.keySet())) {
        unload(name);
      }
      List<ServedVersion> busy = List.copyOf(draining);
      try {
        CompletableFuture.allOf(busy.stream().map(ServedVersion::stopped).toArray(CompletableFuture[]::new))
            .get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        for (ServedVersion v : busy) {
          v.joinWorkers(drainTimeout);
        }
      } catch (TimeoutException e) {
        LOG.warn("model server closed with versions still running after {} ms: {} (each closes after its last"
            + " request)", drainTimeout.toMillis(), draining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        LOG.warn("closing a model version failed", e);
      }
    }
  }
}
