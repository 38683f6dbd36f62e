package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceBackendProvider;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;

/**
 * TensorRT through the JavaCPP presets ({@value #NAME}, priority 300). Loading this class touches no native code:
 * {@link #probe()} is where the system's TensorRT and CUDA are looked for ({@link TensorRt#probe()}), and nothing is
 * loaded unless every library was found. Stateless; thread-safe.
 */
public final class TensorRtBackendProvider implements InferenceBackendProvider {
  /** The name configuration uses. */
  public static final String NAME = "tensorrt";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 300;
  }

  /**
   * Available: the TensorRT loaded, the presets' version and GPU 0 with its compute capability. Unavailable: the
   * probe's reasons verbatim (no libnvinfer, a version mismatch, no GPU, each with what was tried and the fix).
   */
  @Override
  public BackendProbe probe() {
    try {
      return describe(TensorRt.probe());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) { // e.g. the presets' jars missing from the class path: NoClassDefFoundError
      return BackendProbe.unavailable("probing TensorRT failed: " + t);
    }
  }

  static BackendProbe describe(TensorRtAvailability a) {
    if (!a.available()) {
      return BackendProbe.unavailable(String.join("; ", a.reasons()));
    }
    GpuInfo gpu = a.gpus().get(0);
    return BackendProbe.available("TensorRT " + a.library().map(Object::toString).orElse("?") + " (presets "
        + a.preset() + "), GPU " + gpu.name() + " (compute capability " + gpu.computeCapability()
        + (gpu.integrated() ? ", integrated" : "") + ")");
  }

  /**
   * Opens the backend (see {@link TensorRtSettings} for its cache directory and engine limit).
   *
   * @throws BackendException TensorRT cannot be loaded here (the probe's reasons), or
   *     {@code EDGEAI4J_TENSORRT_MAX_ENGINES} is invalid.
   */
  @Override
  public InferenceBackend open(BackendOptions options) throws BackendException {
    TensorRtSettings settings;
    try {
      settings = TensorRtSettings.of(options);
    } catch (IllegalArgumentException e) {
      throw new BackendException("backend " + NAME + " cannot open: " + e.getMessage(), e);
    }
    try {
      TensorRt.load();
    } catch (NativeBindingException e) {
      throw new BackendException("backend " + NAME + " cannot open: " + e.getMessage(), e);
    }
    return new TensorRtBackend(settings, EngineBudget.PROCESS, ChildProcessEngineBuilder.builder().build());
  }
}
