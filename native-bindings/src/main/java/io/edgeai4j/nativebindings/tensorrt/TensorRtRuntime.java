package io.edgeai4j.nativebindings.tensorrt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * The process's one TensorRT runtime ({@code createInferRuntime}), which deserializes engines. Created once on
 * first use and <b>never freed</b>: with the TensorRT 10/11 presets {@code IRuntime}, {@code ICudaEngine} and
 * {@code IExecutionContext} have no deallocator and TensorRT 10 removed {@code destroy()} (bytedeco/javacpp-presets
 * #1699), so nothing can release them from Java. Create the runtime once, each engine once per model version, and
 * each execution context once per worker; never per request. Thread-safe ({@link #deserialize} is serialized).
 */
public final class TensorRtRuntime {
  private static TensorRtRuntime instance;

  private final IRuntime runtime;

  private TensorRtRuntime(IRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * The process's runtime, created on first call.
   *
   * @throws NativeBindingException TensorRT cannot be loaded (the probe's reasons), or {@code createInferRuntime}
   *     returned null.
   */
  public static synchronized TensorRtRuntime get() throws NativeBindingException {
    if (instance == null) {
      TensorRt.load();
      TensorRtLogger logger = TensorRtLogger.instance();
      IRuntime r = createInferRuntime(logger);
      if (r == null || r.isNull()) {
        throw new NativeBindingException("createInferRuntime", "returned null" + logger.errorSuffix());
      }
      instance = new TensorRtRuntime(r);
    }
    return instance;
  }

  /**
   * Deserializes a plan built by the same TensorRT version on the same GPU model. The engine lives until the process
   * ends (see the class comment): deserialize each model version once.
   *
   * @throws NativeBindingException {@code IRuntime.deserializeCudaEngine(<n> bytes)} returned null (a plan from
   *     another TensorRT version or GPU, or a corrupt one), with TensorRT's errors; or an IO tensor of a type not
   *     supported here.
   */
  public synchronized TensorRtEngine deserialize(byte[] plan) throws NativeBindingException {
    if (plan.length == 0) {
      throw new IllegalArgumentException("an empty plan: expected a serialized TensorRT engine");
    }
    String op = "IRuntime.deserializeCudaEngine(" + plan.length + " bytes)";
    ICudaEngine engine;
    try (BytePointer bytes = new BytePointer(plan)) {
      engine = runtime.deserializeCudaEngine(bytes, plan.length);
    }
    if (engine == null || engine.isNull()) {
      throw new NativeBindingException(op, "returned null: the plan was built by another TensorRT version or for"
          + " another GPU, or is corrupt; rebuild it" + TensorRtLogger.instance().errorSuffix());
    }
    return TensorRtEngine.inspect(engine);
  }
}
