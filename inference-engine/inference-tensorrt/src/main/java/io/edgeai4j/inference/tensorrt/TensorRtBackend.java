package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.DeclaredInputs;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.Cuda;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.engine.CacheResult;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineCache;
import io.edgeai4j.nativebindings.tensorrt.ExecutionContext;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtEngine;
import io.edgeai4j.nativebindings.tensorrt.TensorRtRuntime;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT, opened: {@link #load} resolves a model's engine options (precision, profiles) from the model and its
 * {@code model.json}, takes the plan from the {@link EngineCache} (built in a child process on a miss), deserializes
 * it in the process's {@link TensorRtRuntime} and creates one execution context per {@code batching.instances}.
 * Engines cannot be freed, so each load counts against {@link TensorRtSettings#maxEngines()}. {@link #close()} only
 * refuses further loads (idempotent); each model closes its own contexts. Thread-safe.
 */
final class TensorRtBackend implements InferenceBackend {
  private static final Logger LOG = LoggerFactory.getLogger(TensorRtBackend.class);

  private final TensorRtSettings settings;
  private final EngineBudget budget;
  private final EngineBuilder builder;
  private final EngineCache cache;
  private final AtomicBoolean closed = new AtomicBoolean();

  TensorRtBackend(TensorRtSettings settings, EngineBudget budget, EngineBuilder builder) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.cache = new EngineCache(settings.cacheDir());
  }

  @Override
  public String name() {
    return TensorRtBackendProvider.NAME;
  }

  TensorRtSettings settings() {
    return settings;
  }

  @Override
  public LoadedModel load(Path modelFile, List<TensorSpec> declaredInputs) throws BackendException {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(declaredInputs, "declaredInputs");
    if (closed.get()) {
      throw new IllegalStateException("backend " + name() + " is closed");
    }
    if (!Files.exists(modelFile)) {
      throw new BackendException("model file " + modelFile + " does not exist");
    }
    if (!Files.isRegularFile(modelFile) || !Files.isReadable(modelFile)) {
      throw new BackendException("model file " + modelFile + " is not a readable regular file");
    }
    Resolved resolved = resolve(modelFile, declaredInputs);
    try {
      budget.reserve(settings.maxEngines(), modelFile.toString());
    } catch (EngineBudget.EngineLimitException e) {
      throw new BackendException(e.getMessage(), e);
    }
    boolean engineExists = false;
    try {
      TensorRtVersion version = TensorRt.load();
      List<GpuInfo> gpus = Cuda.devices();
      if (gpus.isEmpty()) {
        throw new NativeBindingException("cudaGetDeviceCount", "no CUDA device");
      }
      GpuInfo gpu = gpus.get(0);
      EngineBuildOptions options = resolved.options(settings.cacheDir(), version, gpu);
      String label = modelFile.toString();
      BuildProgress progress = (phase, step, steps) ->
          LOG.info("building the TensorRT engine of {}: {} ({}/{})", label, phase, step, steps);
      CacheResult result = cache.getOrBuild(options, new BuildTarget(version, gpu), builder, progress);
      LOG.info("engine of {}: cache {}{} ({}), {}", label, result.outcome(),
          result.rebuiltBecause().map(r -> " because " + r + " " + result.detail()).orElse(""), result.plan(),
          result.key());
      TensorRtEngine engine = TensorRtRuntime.get().deserialize(Files.readAllBytes(result.plan()));
      engineExists = true;
      budget.logLoaded(label, settings.maxEngines());
      EngineSignature signature = new EngineSignature(engine.tensors());
      List<ExecutionContext> contexts = new ArrayList<>();
      try {
        for (int i = 0; i < resolved.settings().instances(); i++) {
          contexts.add(engine.newContext(gpu.integrated()));
        }
      } catch (NativeBindingException | RuntimeException e) {
        for (ExecutionContext c : contexts) {
          try {
            c.close();
          } catch (NativeBindingException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      LOG.info("loaded {} on TensorRT {} ({}, {}): inputs {}, outputs {}, {} execution context(s){}", label,
          version, resolved.precision(), gpu.name(), signature.inputs(), signature.outputs(), contexts.size(),
          gpu.integrated() ? " in mapped host memory" : "");
      return new TensorRtModel(label, signature, contexts);
    } catch (NativeBindingException e) {
      throw new BackendException("model file " + modelFile + ": TensorRT could not load it: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BackendException("model file " + modelFile + ": " + e.getMessage(), e);
    } finally {
      if (!engineExists) {
        budget.release();
      }
    }
  }

  /** The engine options of a model, resolved in Java before anything native: what {@link #load} would build. */
  static Resolved resolve(Path modelFile, List<TensorSpec> declaredInputs) throws BackendException {
    OnnxModelInfo info;
    ModelSettings settings;
    try {
      info = OnnxModelInfo.read(modelFile);
      settings = ModelSettings.forModel(modelFile);
    } catch (IOException e) {
      throw new BackendException(e.getMessage(), e);
    }
    if (!declaredInputs.isEmpty()) {
      List<String> differences = DeclaredInputs.differences(declaredInputs, info.inputs());
      if (!differences.isEmpty()) {
        throw new BackendException("model file " + modelFile + ": its inputs differ from those declared: "
            + String.join("; ", differences));
      }
    }
    try {
      Precision precision = EngineOptions.precision(info.qdq(), settings.precision());
      List<ShapeProfile> profiles = EngineOptions.profiles(info.inputs(), settings.maxBatchSize(), settings.shapes());
      return new Resolved(modelFile, settings, precision, profiles);
    } catch (IllegalArgumentException e) {
      throw new BackendException("model file " + modelFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * A model's resolved engine options.
   *
   * @param model The model file.
   * @param settings Its {@code model.json} settings.
   * @param precision The precision to build at.
   * @param profiles The optimization profile's shapes.
   */
  record Resolved(Path model, ModelSettings settings, Precision precision, List<ShapeProfile> profiles) {
    Resolved {
      profiles = List.copyOf(profiles);
    }

    /** The build options, with a timing cache per TensorRT version and GPU in {@code cacheDir/timing}. */
    EngineBuildOptions options(Path cacheDir, TensorRtVersion version, GpuInfo gpu) {
      EngineBuildOptions.Builder b = EngineBuildOptions.builder(model).precision(precision)
          .workspaceBytes(settings.workspaceBytes()).timeout(settings.buildTimeout())
          .timingCache(timingCache(cacheDir, version, gpu));
      profiles.forEach(b::profile);
      return b.build();
    }
  }

  /** {@code <cacheDir>/timing/<tensorrt>-<gpu>-sm<cc>.cache}: a timing cache is valid for one TensorRT and GPU. */
  static Path timingCache(Path cacheDir, TensorRtVersion version, GpuInfo gpu) {
    String gpuName = gpu.name().replaceAll("[^A-Za-z0-9._-]+", "_");
    return cacheDir.resolve("timing").resolve(version + "-" + gpuName + "-sm" + gpu.computeMajor()
        + gpu.computeMinor() + ".cache");
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
