package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one version directory into a READY {@link ServedVersion}: reads {@code model.json} (or, without one, derives
 * it from the model: {@link ModelDescriptor#derive}) and {@code golden.json},
 * loads the model on the backend, checks its outputs, warms it up and runs the golden check, recording the load time
 * and the golden outcome in the metrics. When a step fails it closes the model it loaded; on success the new
 * ServedVersion owns it. Owned by the {@link ModelServer}; the backend is the server's caller's. Thread-safe: it has
 * only final fields (the server calls it under its control lock anyway).
 */
final class VersionLoader {
  /** Logs as {@link ModelServer}, whose log lines these are. */
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  private final InferenceBackend backend;
  private final ServingMetrics metrics;
  private final String moduleLabel;

  VersionLoader(InferenceBackend backend, ServingMetrics metrics, String moduleLabel) {
    this.backend = backend;
    this.metrics = metrics;
    this.moduleLabel = moduleLabel;
  }

  /**
   * Loads, checks and warms up version {@code version} of {@code model} from {@code dir}.
   *
   * @throws ModelRepositoryException Naming the file at fault, when a file is missing or invalid, the backend
   *     cannot load the model, its outputs lack a declared one, a warm-up run fails or the golden check fails.
   */
  ServedVersion load(String model, long version, Path dir) throws ModelRepositoryException {
    long start = System.nanoTime();
    Path file = dir.resolve("model.onnx");
    Path modelJson = dir.resolve("model.json");
    boolean derived = !Files.exists(modelJson);
    if (derived && !Files.isRegularFile(file)) {
      throw new ModelRepositoryException(file + ": no such file (every version directory needs a model.onnx, and"
          + " a model.json unless the one derived from the model will do)");
    }
    // Without model.json, the descriptor is completed from the model once it is loaded (ModelDescriptor.derive).
    ModelDescriptor descriptor = derived ? null : ModelDescriptor.read(modelJson);
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
    if (!Files.isRegularFile(file)) {
      throw new ModelRepositoryException(file + ": no such file (every version directory needs a model.onnx)");
    }
    LoadedModel loaded;
    try {
      loaded = backend.load(file, derived ? List.of() : descriptor.inputs());
    } catch (BackendException | RuntimeException e) {
      throw new ModelRepositoryException(file + ": the backend " + backend.name() + " could not load it: "
          + e.getMessage(), e);
    }
    try {
      if (derived) {
        descriptor = derive(model, loaded, file);
      }
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

  /** The descriptor derived from a loaded model, logged so that the user sees what it is served with. */
  private static ModelDescriptor derive(String model, LoadedModel loaded, Path file) throws ModelRepositoryException {
    ModelDescriptor descriptor;
    try {
      descriptor = ModelDescriptor.derive(model, loaded.inputs(), loaded.outputs());
    } catch (IllegalArgumentException e) {
      throw new ModelRepositoryException(file + ": no model.json, and none can be derived from the model: "
          + e.getMessage(), e);
    }
    LOG.info("model '{}': no model.json in {}, serving it with the one derived from the model: inputs {}, outputs {},"
        + " batching {} (edge model init writes it to edit)", model, file.getParent(), descriptor.inputs(),
        descriptor.outputs(), descriptor.batching().maxBatchSize() > 1 ? "on" : "off");
    return descriptor;
  }

  /**
   * Logs a version's failed load and returns its FAILED detail. A failure other than a repository problem (a
   * backend's unchecked exception, an {@code OutOfMemoryError}) is logged with its stack trace and marks the
   * version FAILED all the same, so that no version stays LOADING and the versions serving keep serving.
   */
  static String failedLoad(String model, long version, Path dir, Throwable e) {
    if (e instanceof ModelRepositoryException) {
      LOG.warn("model '{}' version {} failed to load: {}", model, version, e.getMessage());
      return e.getMessage();
    }
    LOG.error("model '{}' version {} failed to load with an unexpected {}", model, version,
        e.getClass().getName(), e);
    return dir + ": the load failed: " + e;
  }
}
