package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.DeclaredInputs;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.OptimizationLevel;
import io.edgeai4j.inference.backend.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime, opened with one set of {@link BackendOptions}: each {@link #load} makes a session with those options
 * and the backend's execution providers. Owns no native resource itself (the environment belongs to the process;
 * each model owns its session), so {@link #close()} only refuses further loads; it is idempotent. Thread-safe.
 */
final class OnnxRuntimeBackend implements InferenceBackend {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeBackend.class);

  private final String name;
  private final OrtEnvironment environment;
  private final BackendOptions options;
  private final ExecutionProviders providers;
  private final OptimizedModelCache cache;
  private final boolean preallocateOutputs;
  private final Consumer<OnnxValue> tracer;
  private final AtomicInteger openSessions = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  OnnxRuntimeBackend(String name, OrtEnvironment environment, BackendOptions options, ExecutionProviders providers) {
    this(name, environment, options, providers, true, value -> {});
  }

  /**
   * @param preallocateOutputs Whether models write outputs of known shape into buffers allocated before the run.
   * @param tracer Told of every native value a run makes (for tests).
   */
  OnnxRuntimeBackend(String name, OrtEnvironment environment, BackendOptions options, ExecutionProviders providers,
      boolean preallocateOutputs, Consumer<OnnxValue> tracer) {
    this.name = name;
    this.environment = environment;
    this.options = Objects.requireNonNull(options, "options");
    this.providers = providers;
    this.cache = options.optimizedModelCache().map(OptimizedModelCache::new).orElse(null);
    this.preallocateOutputs = preallocateOutputs;
    this.tracer = tracer;
  }

  @Override
  public String name() {
    return name;
  }

  /** Sessions made by this backend and not yet closed (for tests: proves failed loads leak none). */
  int openSessions() {
    return openSessions.get();
  }

  @Override
  public LoadedModel load(Path modelFile, List<TensorSpec> declaredInputs) throws BackendException {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(declaredInputs, "declaredInputs");
    if (closed.get()) {
      throw new IllegalStateException("backend " + name + " is closed");
    }
    if (!Files.exists(modelFile)) {
      throw new BackendException("model file " + modelFile + " does not exist");
    }
    if (!Files.isRegularFile(modelFile) || !Files.isReadable(modelFile)) {
      throw new BackendException("model file " + modelFile + " is not a readable regular file");
    }
    OrtSessionHandle handle = openSession(modelFile);
    try {
      OrtSession session = handle.session();
      Map<String, NodeInfo> inputInfo = session.getInputInfo();
      Map<String, NodeInfo> outputInfo = session.getOutputInfo();
      List<TensorSpec> inputs = specs(modelFile, "input", inputInfo, true);
      List<TensorSpec> outputs = specs(modelFile, "output", outputInfo, false);
      if (!declaredInputs.isEmpty()) {
        List<String> differences = DeclaredInputs.differences(declaredInputs, inputs);
        if (!differences.isEmpty()) {
          throw new BackendException("model file " + modelFile + ": its inputs differ from those declared: "
              + String.join("; ", differences));
        }
      }
      LOG.info("loaded {} on {} from {}: inputs {}, outputs {}", modelFile, name, handle.source(), inputs, outputs);
      return new OnnxRuntimeModel(modelFile.toString(), environment, handle, inputs, outputs,
          new OutputShapes(inputInfo, outputInfo), preallocateOutputs, tracer);
    } catch (OrtException e) {
      handle.close();
      throw new BackendException("model file " + modelFile + ": ONNX Runtime could not describe it: " + e.getMessage(),
          e);
    } catch (BackendException | RuntimeException | Error e) {
      handle.close();
      throw e;
    }
  }

  /** The model's tensor specs; refuses inputs ONNX Runtime's Java API cannot feed, skips non-tensor outputs. */
  private static List<TensorSpec> specs(Path modelFile, String kind, Map<String, NodeInfo> nodes, boolean required)
      throws BackendException {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      StringBuilder why = new StringBuilder();
      TensorSpec spec = OrtTypes.spec(node, why);
      if (spec != null) {
        specs.add(spec);
      } else if (required) {
        throw new BackendException("model file " + modelFile + ": " + kind + " " + why);
      } else {
        LOG.warn("model file {}: {} {}; it is not returned", modelFile, kind, why);
      }
    }
    if (!required && specs.isEmpty()) {
      throw new BackendException("model file " + modelFile + ": none of its outputs is a tensor of a supported type");
    }
    return specs;
  }

  /** A session on the model, through the optimised-model cache when there is one. */
  private OrtSessionHandle openSession(Path modelFile) throws BackendException {
    if (cache == null || !providers.canSaveOptimizedModel()) {
      return createSession(modelFile, modelFile, options.optimizationLevel(), null);
    }
    Path cached;
    try {
      cached = cache.fileFor(modelFile, OrtNatives.get().version(), name, options.optimizationLevel());
    } catch (IOException e) {
      LOG.warn("optimized-model cache {} is unusable ({}); loading {} without it", cache.directory(), e, modelFile);
      return createSession(modelFile, modelFile, options.optimizationLevel(), null);
    }
    if (Files.isRegularFile(cached)) {
      try {
        return createSession(modelFile, cached, OptimizationLevel.NONE, null);
      } catch (BackendException e) {
        LOG.warn("cached optimized model {} did not load ({}); optimizing {} again", cached, e.getMessage(), modelFile);
        deleteQuietly(cached);
      }
    }
    Path temporary = OptimizedModelCache.temporaryFor(cached);
    try {
      OrtSessionHandle handle = createSession(modelFile, modelFile, options.optimizationLevel(), temporary);
      try {
        OptimizedModelCache.publish(temporary, cached);
      } catch (IOException e) {
        LOG.warn("could not store the optimized model of {} as {}: {}", modelFile, cached, e.toString());
      }
      return handle;
    } finally {
      deleteQuietly(temporary);
    }
  }

  /**
   * Makes a session.
   *
   * @param modelFile The model, for messages.
   * @param source The file to load: the model or its optimised copy.
   * @param optimizedOut Where ONNX Runtime writes the optimised model, or null.
   */
  private OrtSessionHandle createSession(Path modelFile, Path source, OptimizationLevel level, Path optimizedOut)
      throws BackendException {
    SessionOptions sessionOptions = new SessionOptions();
    try {
      sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      sessionOptions.setInterOpNumThreads(options.interOpThreads());
      sessionOptions.setExecutionMode(options.interOpThreads() > 1 ? ExecutionMode.PARALLEL : ExecutionMode.SEQUENTIAL);
      sessionOptions.setOptimizationLevel(optLevel(level));
      if (optimizedOut != null) {
        sessionOptions.setOptimizedModelFilePath(optimizedOut.toString());
      }
      providers.appendTo(sessionOptions, cache == null ? null : cache.directory());
      OrtSession session = environment.createSession(source.toString(), sessionOptions);
      openSessions.incrementAndGet();
      return new OrtSessionHandle(session, sessionOptions, source, openSessions::decrementAndGet);
    } catch (OrtException e) {
      sessionOptions.close();
      throw new BackendException("model file " + modelFile + (source.equals(modelFile) ? "" : " (optimized copy "
          + source + ")") + ": ONNX Runtime could not load it: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      sessionOptions.close();
      throw e;
    }
  }

  static OptLevel optLevel(OptimizationLevel level) {
    return switch (level) {
      case NONE -> OptLevel.NO_OPT;
      case BASIC -> OptLevel.BASIC_OPT;
      case EXTENDED -> OptLevel.EXTENDED_OPT;
      case ALL -> OptLevel.ALL_OPT;
    };
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", file, e.toString());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && openSessions.get() > 0) {
      LOG.warn("backend {} closed with {} model(s) still open; their owners must close them", name,
          openSessions.get());
    }
  }
}
