package io.edgeai4j.nativebindings.tensorrt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * The TensorRT {@link EngineCompiler}: ONNX → serialized engine with nvonnxparser and {@code IBuilder}, in the
 * calling process, which must be the short-lived builder child (the builder, network, parser and config it creates
 * cannot be freed from Java: bytedeco/javacpp-presets#1699). Steps reported to {@link BuildProgress}: parse,
 * configure, build, timing cache (the presets do not let Java subclass {@code IProgressMonitor}, so TensorRT's own
 * phases are not available). Precision per TensorRT major: {@link PrecisionFlags}. Stateless; one build at a time
 * per process.
 */
public final class TensorRtEngineCompiler implements EngineCompiler {
  private static final int STEPS = 4;

  /** For {@link java.util.ServiceLoader}; loads nothing. */
  public TensorRtEngineCompiler() { }

  @Override
  public TensorRtVersion version() throws NativeBindingException {
    return TensorRt.load();
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) throws NativeBindingException {
    TensorRt.load();
    TensorRtLogger logger = TensorRtLogger.instance();
    logger.takeErrors();
    Path model = options.model();
    progress.update("parsing " + model.getFileName(), 0, STEPS);
    IBuilder builder = notNull(createInferBuilder(logger), "createInferBuilder", logger);
    int flags = PrecisionFlags.networkFlags(options.precision());
    INetworkDefinition network = notNull(builder.createNetworkV2(flags), "IBuilder.createNetworkV2(" + flags + ")",
        logger);
    IParser parser = notNull(createParser(network, logger), "nvonnxparser.createParser", logger);
    if (!parser.parseFromFile(model.toAbsolutePath().toString(), ILogger.Severity.kWARNING.value)) {
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < parser.getNbErrors(); i++) {
        IParserError e = parser.getError(i);
        errors.add("node " + e.node() + " (" + e.nodeName() + ", " + e.nodeOperator() + "): " + e.desc());
      }
      throw new NativeBindingException("IParser.parseFromFile(" + model + ")", errors.size() + " parser error(s): "
          + String.join("; ", errors) + logger.errorSuffix());
    }

    progress.update("configuring " + options.precision() + " (" + PrecisionFlags.describe(options.precision())
        + ")", 1, STEPS);
    IBuilderConfig config = notNull(builder.createBuilderConfig(), "IBuilder.createBuilderConfig", logger);
    config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, options.workspaceBytes());
    PrecisionFlags.configure(config, options.precision());
    if (!options.profiles().isEmpty()) {
      IOptimizationProfile profile = notNull(builder.createOptimizationProfile(),
          "IBuilder.createOptimizationProfile", logger);
      for (ShapeProfile p : options.profiles()) {
        setDimensions(profile, p.input(), OptProfileSelector.kMIN, p.min(), logger);
        setDimensions(profile, p.input(), OptProfileSelector.kOPT, p.opt(), logger);
        setDimensions(profile, p.input(), OptProfileSelector.kMAX, p.max(), logger);
      }
      if (config.addOptimizationProfile(profile) < 0) {
        throw new NativeBindingException("IBuilderConfig.addOptimizationProfile(" + options.profiles() + ")",
            "refused the profile" + logger.errorSuffix());
      }
    }
    ITimingCache cache = null;
    if (options.timingCache().isPresent()) {
      cache = readTimingCache(config, options.timingCache().get(), logger);
    }

    progress.update("building the engine", 2, STEPS);
    IHostMemory plan = builder.buildSerializedNetwork(network, config);
    if (plan == null || plan.isNull() || plan.size() == 0) {
      throw new NativeBindingException("IBuilder.buildSerializedNetwork(" + model.getFileName() + ", "
          + options.precision() + ")", "returned no engine" + logger.errorSuffix());
    }
    byte[] bytes = bytes(plan, "IHostMemory(plan)");

    progress.update("writing the timing cache", 3, STEPS);
    if (cache != null) {
      IHostMemory serialized = cache.serialize();
      if (serialized == null || serialized.isNull()) {
        throw new NativeBindingException("ITimingCache.serialize", "returned null" + logger.errorSuffix());
      }
      writeAtomically(options.timingCache().get(), bytes(serialized, "IHostMemory(timing cache)"));
    }
    progress.update("done", STEPS, STEPS);
    return bytes;
  }

  private static ITimingCache readTimingCache(IBuilderConfig config, Path file, TensorRtLogger logger)
      throws NativeBindingException {
    byte[] old;
    try {
      old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    } catch (IOException e) {
      throw new NativeBindingException("read timing cache " + file, null, e.toString(), e);
    }
    ITimingCache cache;
    try (BytePointer blob = new BytePointer(Math.max(1, old.length))) {
      blob.put(old);
      cache = config.createTimingCache(blob, old.length);
    }
    notNull(cache, "IBuilderConfig.createTimingCache(" + file + ", " + old.length + " bytes)", logger);
    if (!config.setTimingCache(cache, false)) {
      throw new NativeBindingException("IBuilderConfig.setTimingCache(" + file + ")", "refused the cache: it was"
          + " written by another TensorRT version or GPU; delete it to start a new one" + logger.errorSuffix());
    }
    return cache;
  }

  private static void setDimensions(IOptimizationProfile profile, String input, OptProfileSelector which,
      long[] shape, TensorRtLogger logger) throws NativeBindingException {
    try (Dims64 d = Shapes.toDims("input '" + input + "' " + which, shape)) {
      if (!profile.setDimensions(input, which, d)) {
        throw new NativeBindingException("IOptimizationProfile.setDimensions(" + input + ", " + which + ", "
            + ShapeProfile.dims(shape) + ")", "refused" + logger.errorSuffix());
      }
    }
  }

  private static byte[] bytes(IHostMemory memory, String what) throws NativeBindingException {
    long size = memory.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new NativeBindingException(what, size + " bytes, more than a Java array holds");
    }
    byte[] out = new byte[(int) size];
    Pointer data = memory.data();
    new BytePointer(data).capacity(size).get(out);
    return out;
  }

  private static void writeAtomically(Path file, byte[] bytes) throws NativeBindingException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new NativeBindingException("write timing cache " + file, null, e.toString(), e);
    }
  }

  private static <T extends Pointer> T notNull(T p, String operation, TensorRtLogger logger)
      throws NativeBindingException {
    if (p == null || p.isNull()) {
      throw new NativeBindingException(operation, "returned null" + logger.errorSuffix());
    }
    return p;
  }
}
