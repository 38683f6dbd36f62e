package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.nio.file.Path;

/** The execution providers a session gets, in the order ONNX Runtime tries them; the CPU is always last. */
enum ExecutionProviders {
  CPU,
  CUDA,
  TENSORRT_CUDA;

  /**
   * Appends the providers to session options.
   *
   * @param cacheDirectory Where the TensorRT provider keeps its engines, or null.
   */
  void appendTo(SessionOptions options, Path cacheDirectory) throws OrtException {
    if (this == TENSORRT_CUDA) {
      try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(GpuSupport.DEVICE)) {
        if (cacheDirectory != null) {
          trt.add("trt_engine_cache_enable", "1");
          trt.add("trt_engine_cache_path", cacheDirectory.resolve("tensorrt").toString());
        }
        options.addTensorrt(trt);
      }
    }
    if (this != CPU) {
      options.addCUDA(GpuSupport.DEVICE);
    }
  }

  /**
   * Whether ONNX Runtime can save the optimised model: not with TensorRT, whose compiled nodes cannot be serialised
   * (it keeps its own engine cache instead).
   */
  boolean canSaveOptimizedModel() {
    return this != TENSORRT_CUDA;
  }
}
