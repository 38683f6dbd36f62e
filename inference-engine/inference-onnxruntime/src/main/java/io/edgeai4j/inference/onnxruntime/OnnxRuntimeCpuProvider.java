package io.edgeai4j.inference.onnxruntime;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceBackendProvider;

/**
 * ONNX Runtime on the CPU ({@value #NAME}, priority 100). Loading this class touches no native code; {@link #probe()}
 * and {@link #open} load ONNX Runtime's library once per process. Stateless; thread-safe.
 */
public final class OnnxRuntimeCpuProvider implements InferenceBackendProvider {
  /** The name configuration uses. */
  public static final String NAME = "onnxruntime-cpu";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  /** Available when ONNX Runtime's native library loads; says its version, platform and execution providers. */
  @Override
  public BackendProbe probe() {
    try {
      OrtNatives.Loaded ort = OrtNatives.get();
      return ort.ok()
          ? BackendProbe.available("ONNX Runtime " + ort.version() + " on " + OrtNatives.platform() + ", providers "
              + ort.providerNames())
          : BackendProbe.unavailable(ort.failure());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return BackendProbe.unavailable("probing ONNX Runtime failed: " + OrtNatives.describe(t));
    }
  }

  @Override
  public InferenceBackend open(BackendOptions options) throws BackendException {
    OrtNatives.Loaded ort = OrtNatives.get();
    if (!ort.ok()) {
      throw new BackendException("backend " + NAME + " cannot open: " + ort.failure());
    }
    return new OnnxRuntimeBackend(NAME, ort.environment(), options, ExecutionProviders.CPU);
  }
}
