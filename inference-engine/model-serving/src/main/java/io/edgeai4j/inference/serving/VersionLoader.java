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
 * it from the model: {@link ModelDescriptor#derive}) and {@code golden.json}, loads the model on the backend, checks
 * its outputs, warms it up (on the golden samples when there are some, else on zero-filled inputs, whose failure is
 * only a warning) and runs the golden check, recording the load time
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
   *     cannot load the model, its outputs lack a declared one or the golden check fails (a failed warm-up on
   *     zero-filled inputs is a warning in the READY detail).
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
    String warning;
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
      warning = warmUp(model, version, loaded, descriptor, golden);
    } catch (ModelRepositoryException | RuntimeException | Error e) {
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
    if (warning != null) {
      goldenResult += "; warning: " + warning;
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
   * Runs the {@code warmup.runs} warm-up runs: on the golden samples when the version has a {@code golden.json} (in
   * turn, so the model warms up on inputs it is known to accept; a sample that fails here fails the golden check
   * that follows, which names it), else on zero-filled inputs (batch 1). Models whose inputs are shapes, sizes or
   * indices may refuse zeros: a failed zero-input run ends the warm-up and is a warning (returned for the version's
   * status detail, and logged), not a failure; the version serves unwarmed.
   *
   * @return The warning, or null.
   * @throws Error As the backend threw it (an {@code OutOfMemoryError} fails the load).
   */
  private static String warmUp(String model, long version, LoadedModel loaded, ModelDescriptor descriptor,
      GoldenSamples golden) {
    if (golden != null) {
      for (int i = 0; i < descriptor.warmupRuns(); i++) {
        try {
          loaded.run(golden.samples().get(i % golden.samples().size()).inputs());
        } catch (InferenceException | RuntimeException e) {
          // The golden check runs every sample next and fails the load naming this one.
          return null;
        }
      }
      return null;
    }
    if (descriptor.warmupRuns() == 0) {
      return null;
    }
    Map<String, Tensor> zeros = TensorRows.zeros(descriptor.inputs());
    for (int i = 0; i < descriptor.warmupRuns(); i++) {
      try {
        loaded.run(zeros);
      } catch (InferenceException | RuntimeException e) {
        String warning = "warm-up on zero-filled inputs failed (" + e.getMessage() + "); the version serves"
            + " without warm-up: add a " + GoldenSamples.FILE_NAME + " to warm it up on real inputs";
        LOG.warn("model '{}' version {}: {}", model, version, warning);
        return warning;
      }
    }
    return null;
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
