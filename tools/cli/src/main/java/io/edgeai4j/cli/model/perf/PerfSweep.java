package io.edgeai4j.cli.model.perf;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.OptimizationLevel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelDescriptor;
import io.edgeai4j.inference.serving.ModelRepositoryException;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ModelStatus;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.edgeai4j.inference.serving.VersionState;
import io.edgeai4j.inference.serving.VersionStatus;
import io.edgeai4j.nativebindings.perf.Distribution;
import io.edgeai4j.optimize.data.DataSetException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * A concurrency sweep through the model server, in the spirit of Triton's {@code perf_analyzer
 * --concurrency-range}: the model is served by a {@link ModelServer} (the inference module's path, with its dynamic
 * batcher) from a temporary repository; for each level {@code c}, one thread keeps {@code c} one-row requests
 * outstanding (a closed loop: each completion submits the next), runs the warm-up, then measures for the duration:
 * requests in flight, throughput, latency percentiles (HdrHistogram, 3 significant digits), mean queue time, compute
 * time per row and batch size. Beside each level, the bare figure: the same model loaded on the same backend run by
 * one thread on batches of the level's mean batch size, back to back, with no server (measured once per batch size).
 * Every run
 * uses one intra-op and one inter-op thread and all graph optimisations, as {@code benchmarks/} does.
 *
 * <p>Not thread-safe: one sweep per instance, run by one thread. {@link #run} closes everything it opens and deletes
 * its temporary repository.
 */
public final class PerfSweep {
  /** The model's name in the temporary repository. */
  static final String MODEL = "perf";
  /** The backend's session settings, the benchmarks' own. */
  static final BackendOptions OPTIONS = BackendOptions.builder().intraOpThreads(1).interOpThreads(1)
      .optimizationLevel(OptimizationLevel.ALL).build();
  /** Longest wait for one completion before the sweep fails. */
  static final Duration STALL = Duration.ofSeconds(60);
  /** The server's request timeout during a sweep: a closed loop never leaves requests waiting this long. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final PerfSettings settings;
  private final Consumer<String> progress;

  /**
   * @param progress Receives one line as each level starts (e.g. for the terminal's standard error).
   */
  public PerfSweep(PerfSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Runs the sweep.
   *
   * @throws PerfException When the model or data cannot be read or served (exit code {@code NO_INPUT} or
   *     {@code DATA_ERROR}), or a request fails (exit code {@code SOFTWARE}); the message names the cause.
   */
  public PerfReport run() throws PerfException, InterruptedException {
    Path modelFile = modelFile();
    InferenceBackend backend;
    try {
      backend = Backends.select(settings.backend(), Backends.probeAll()).provider().open(OPTIONS);
    } catch (BackendException e) {
      throw new PerfException(ExitCodes.CONFIG, "--backend " + settings.backend() + ": " + e.getMessage(), e);
    }
    Path repository = null;
    try (backend; LoadedModel bare = load(backend, modelFile)) {
      ModelDescriptor descriptor = servedDescriptor(modelFile, bare);
      RequestRows rows = rows(descriptor.inputs());
      repository = Files.createTempDirectory("edgeai4j-perf-");
      writeVersion(repository, modelFile, descriptor);
      try (ModelServer server = new ModelServer(backend, new PrometheusRegistry(), "perf")) {
        start(server, repository, modelFile);
        List<LevelResult> levels = new ArrayList<>();
        Map<Integer, Double> bareRates = new HashMap<>();
        for (int c : settings.concurrency().levels()) {
          progress.accept("concurrency " + c + ": " + millis(settings.warmup()) + " ms warm-up, "
              + millis(settings.duration()) + " ms measured");
          Level level = closedLoop(server, rows, c);
          if (level.requests == 0) {
            progress.accept("concurrency " + c + ": no request completed in the " + millis(settings.duration())
                + " ms measured; its figures are 0: lengthen --duration");
          }
          int batch = Math.max(1, (int) Math.round(level.meanBatchSize()));
          Double rate = bareRates.get(batch);
          if (rate == null) {
            rate = bareRun(bare, rows, batch);
            bareRates.put(batch, rate);
          }
          levels.add(level.result(c, settings.duration(), batch, rate));
        }
        return new PerfReport(modelFile.toString(), settings.backend(), descriptor.batching(), rows.source(),
            millis(settings.duration()), millis(settings.warmup()), levels);
      }
    } catch (IOException e) {
      throw new PerfException(ExitCodes.CANT_CREATE, "cannot write the temporary model repository: " + e, e);
    } finally {
      deleteTree(repository);
    }
  }

  private Path modelFile() throws PerfException {
    Path model = settings.model();
    Path file = Files.isDirectory(model) ? model.resolve("model.onnx") : model;
    if (!Files.isRegularFile(file)) {
      throw new PerfException(ExitCodes.NO_INPUT, "MODEL: '" + model + "' is " + (Files.isDirectory(model)
          ? "a directory holding no model.onnx" : "not a file") + "; expected a model.onnx or a version directory"
          + " holding one", null);
    }
    return file;
  }

  private static LoadedModel load(InferenceBackend backend, Path file) throws PerfException {
    try {
      return backend.load(file, List.of());
    } catch (BackendException e) {
      throw new PerfException(ExitCodes.DATA_ERROR, "'" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * The version directory's {@code model.json} (or the one derived from the model when there is none, or the model
   * is a bare file), with the sweep's batching and instances.
   */
  private ModelDescriptor servedDescriptor(Path modelFile, LoadedModel bare) throws PerfException {
    Path json = modelFile.resolveSibling("model.json");
    ModelDescriptor d;
    if (Files.isDirectory(settings.model()) && Files.isRegularFile(json)) {
      try {
        d = ModelDescriptor.read(json);
      } catch (ModelRepositoryException e) {
        throw new PerfException(ExitCodes.DATA_ERROR, e.getMessage(), e);
      }
    } else {
      d = ModelDescriptor.derive(MODEL, bare.inputs(), bare.outputs());
    }
    ModelDescriptor.Batching b = d.batching();
    boolean batchable = d.inputs().stream().allMatch(TensorSpec::batchable)
        && d.outputs().stream().allMatch(TensorSpec::batchable);
    if (settings.batching() && !batchable) {
      throw new PerfException(ExitCodes.USAGE, "--batching on: the model's inputs " + d.inputs() + " and outputs "
          + d.outputs() + " do not all have an open first dimension, so rows cannot be batched; use --batching off",
          null);
    }
    if (settings.batching() && b.maxBatchSize() == 1) {
      b = ModelDescriptor.Batching.DEFAULT;
    }
    int maxConcurrency = settings.concurrency().end();
    int instances = settings.instances().orElse(b.instances());
    ModelDescriptor.Batching served = settings.batching()
        ? new ModelDescriptor.Batching(b.maxBatchSize(), b.maxQueueDelay(), Math.max(b.maxQueueSize(), maxConcurrency),
            REQUEST_TIMEOUT, instances, b.adaptive())
        : new ModelDescriptor.Batching(1, Duration.ZERO, Math.max(b.maxQueueSize(), maxConcurrency), REQUEST_TIMEOUT,
            instances, b.adaptive());
    // model.json's reader refuses an empty description, which ModelDescriptor.toJson writes for a file without one.
    String description = d.description().isBlank() ? "served by edge model perf" : d.description();
    return new ModelDescriptor(MODEL, description, d.inputs(), d.outputs(), d.labels(), d.featureInput(), served,
        d.warmupRuns());
  }

  private RequestRows rows(List<TensorSpec> inputs) throws PerfException {
    try {
      return settings.data().isPresent() ? RequestRows.read(inputs, settings.data().get())
          : RequestRows.random(inputs, settings.seed());
    } catch (DataSetException e) {
      throw new PerfException(ExitCodes.DATA_ERROR, "--data: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new PerfException(ExitCodes.DATA_ERROR, e.getMessage(), e);
    }
  }

  /** {@code <repository>/perf/1/model.onnx} (a link to the model, or a copy where links fail) and model.json. */
  private static void writeVersion(Path repository, Path modelFile, ModelDescriptor descriptor) throws IOException {
    Path version = Files.createDirectories(repository.resolve(MODEL).resolve("1"));
    Path link = version.resolve("model.onnx");
    try {
      Files.createSymbolicLink(link, modelFile.toAbsolutePath());
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(modelFile, link);
    }
    Files.writeString(version.resolve("model.json"), descriptor.toJson().toPrettyString());
  }

  private static void start(ModelServer server, Path repository, Path modelFile) throws PerfException {
    try {
      server.apply(new ServingConfig(repository, Map.of(MODEL, VersionPolicy.latest(1))));
    } catch (ModelRepositoryException e) {
      throw new PerfException(ExitCodes.DATA_ERROR, "'" + modelFile + "': " + e.getMessage(), e);
    }
    ModelStatus status = server.models().stream().filter(m -> m.name().equals(MODEL)).findFirst().orElseThrow();
    if (status.descriptor() == null) {
      String why = status.versions().stream().filter(v -> v.state() == VersionState.FAILED)
          .map(VersionStatus::detail).findFirst().orElse("no version is READY");
      throw new PerfException(ExitCodes.DATA_ERROR, "'" + modelFile + "' does not serve: " + why, null);
    }
  }

  /** A finished request, as its callback saw it. */
  private record Completion(long submittedNanos, long completedNanos, InferenceResult result, Throwable failure) {}

  /** One level's accumulated measurements. */
  private static final class Level {
    final Histogram latency = new Histogram(3);
    /** Every measured latency, for trtexec's exact percentiles: 8 bytes per request (80 MB for 10 million). */
    double[] latenciesMs = new double[1024];
    final long from;
    final long to;
    long inFlightNanos;
    long requests;
    long queueNanos;
    double computeNanosPerRow;
    long rows;

    /** The measured window, {@link System#nanoTime()} from {@code from} to {@code to}. */
    Level(long from, long to) {
      this.from = from;
      this.to = to;
    }

    /** Adds the part of a request's time outstanding that lies in the window (any request, measured or not). */
    void outstanding(Completion done) {
      inFlightNanos += Math.max(0, Math.min(done.completedNanos(), to) - Math.max(done.submittedNanos(), from));
    }

    void record(Completion done) {
      latency.recordValue(Math.max(1, done.completedNanos() - done.submittedNanos()));
      if (requests == latenciesMs.length) {
        latenciesMs = Arrays.copyOf(latenciesMs, latenciesMs.length * 2);
      }
      latenciesMs[(int) requests] = (done.completedNanos() - done.submittedNanos()) / 1e6;
      requests++;
      InferenceResult r = done.result();
      queueNanos += r.queueTime().toNanos();
      int batch = Math.max(1, r.batchSize());
      computeNanosPerRow += (double) r.computeTime().toNanos() / batch;
      rows += batch;
    }

    double meanBatchSize() {
      return requests == 0 ? 0 : (double) rows / requests;
    }

    LevelResult result(int concurrency, Duration window, int bareBatch, double bareRate) {
      double n = Math.max(1, requests);
      return new LevelResult(concurrency, requests, requests / (window.toNanos() / 1e9),
          (double) inFlightNanos / window.toNanos(), latency.getMean() / 1e3,
          latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
          latency.getValueAtPercentile(99) / 1e3, queueNanos / n / 1e3, computeNanosPerRow / n / 1e3,
          meanBatchSize(), bareBatch, bareRate, requests == 0 ? Optional.empty()
              : Optional.of(Distribution.of(Arrays.copyOf(latenciesMs, (int) requests))));
    }
  }

  /**
   * Keeps {@code concurrency} requests outstanding from this one thread: waits for a completion, records it when it
   * completed inside the measured window, submits the next; stops at the window's end and waits for those
   * outstanding.
   */
  private Level closedLoop(ModelServer server, RequestRows rows, int concurrency)
      throws PerfException, InterruptedException {
    BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    long start = System.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long measureTo = measureFrom + settings.duration().toNanos();
    Level level = new Level(measureFrom, measureTo);
    long sent = 0;
    int outstanding = 0;
    PerfException failed = null;
    for (; outstanding < concurrency; outstanding++) {
      submit(server, rows, sent++, completions);
    }
    while (outstanding > 0) {
      Completion done = completions.poll(STALL.toMillis(), TimeUnit.MILLISECONDS);
      if (done == null) {
        throw new PerfException(ExitCodes.SOFTWARE, "concurrency " + concurrency + ": no request completed within "
            + STALL.toSeconds() + " s with " + outstanding + " outstanding", null);
      }
      outstanding--;
      if (done.failure() != null && failed == null) {
        failed = new PerfException(ExitCodes.SOFTWARE, "concurrency " + concurrency + ": a request failed: "
            + done.failure().getMessage(), done.failure());
      }
      if (failed != null) {
        continue;
      }
      level.outstanding(done);
      if (done.completedNanos() >= measureFrom && done.completedNanos() < measureTo) {
        level.record(done);
      }
      if (System.nanoTime() < measureTo) {
        submit(server, rows, sent++, completions);
        outstanding++;
      }
    }
    if (failed != null) {
      throw failed;
    }
    return level;
  }

  private static void submit(ModelServer server, RequestRows rows, long i, BlockingQueue<Completion> completions) {
    long submitted = System.nanoTime();
    server.infer(new InferenceRequest(MODEL, null, rows.request(i), null)).whenComplete(
        (result, failure) -> completions.add(new Completion(submitted, System.nanoTime(), result, failure)));
  }

  /** Rows per second of {@code batch}-row runs back to back on this thread, after the warm-up. */
  private double bareRun(LoadedModel model, RequestRows rows, int batch) throws PerfException {
    Map<String, Tensor> inputs = rows.batch(batch);
    try {
      long warmEnd = System.nanoTime() + settings.warmup().toNanos();
      do {
        model.run(inputs);
      } while (System.nanoTime() < warmEnd);
      long start = System.nanoTime();
      long end = start + settings.duration().toNanos();
      long runs = 0;
      long now;
      do {
        model.run(inputs);
        runs++;
        now = System.nanoTime();
      } while (now < end);
      return runs * (double) batch / ((now - start) / 1e9);
    } catch (InferenceException e) {
      throw new PerfException(ExitCodes.SOFTWARE, "bare ONNX Runtime run of " + batch + " rows failed: "
          + e.getMessage(), e);
    }
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }

  /** Deletes the temporary repository; one that stays behind is reported, as nothing the sweep measured needs it. */
  private void deleteTree(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      progress.accept("could not delete the temporary repository " + root + ": " + e);
    }
    if (Files.exists(root)) {
      progress.accept("the temporary repository " + root + " was not deleted");
    }
  }
}
