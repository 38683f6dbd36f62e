package io.edgeai4j.inference.onnxruntime;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceBackendProvider;

/**
 * ONNX Runtime on an NVIDIA GPU ({@value #NAME}, priority 200): the TensorRT execution provider first when it loads,
 * then CUDA, then the CPU for operators neither supports. Needs the ONNX Runtime GPU build
 * ({@code com.microsoft.onnxruntime:onnxruntime_gpu}) on the class path in place of the CPU build, CUDA 12 and cuDNN 9
 * (and TensorRT 10 for the TensorRT provider). Loading this class touches no native code; {@link #probe()} looks once
 * per process. Stateless; thread-safe.
 */
public final class OnnxRuntimeCudaProvider implements InferenceBackendProvider {
  /** The name configuration uses. */
  public static final String NAME = "onnxruntime-cuda";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 200;
  }

  /** Available when a session opens on GPU 0 with the CUDA provider; otherwise says which part is missing. */
  @Override
  public BackendProbe probe() {
    try {
      GpuSupport.Found gpu = GpuSupport.get();
      return gpu.cuda() ? BackendProbe.available(gpu.detail()) : BackendProbe.unavailable(gpu.detail());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return BackendProbe.unavailable("probing ONNX Runtime's CUDA provider failed: " + OrtNatives.describe(t));
    }
  }

  @Override
  public InferenceBackend open(BackendOptions options) throws BackendException {
    GpuSupport.Found gpu = GpuSupport.get();
    if (!gpu.cuda()) {
      throw new BackendException("backend " + NAME + " cannot open: " + gpu.detail());
    }
    return new OnnxRuntimeBackend(NAME, OrtNatives.get().environment(), options,
        gpu.tensorRt() ? ExecutionProviders.TENSORRT_CUDA : ExecutionProviders.CUDA);
  }
}
