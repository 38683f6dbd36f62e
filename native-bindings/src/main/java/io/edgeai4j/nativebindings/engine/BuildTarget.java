package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.util.Objects;

/**
 * What an engine is built for: the TensorRT library that builds and runs it and the GPU it runs on. The caller
 * takes them from the loaded library and {@code cudaGetDeviceProperties}; tests pass them in, so the cache works
 * without a GPU.
 *
 * @param tensorRt The exact TensorRT version (plans only load in the version that built them).
 * @param gpu The GPU (plans are specific to its compute capability and model).
 */
public record BuildTarget(TensorRtVersion tensorRt, GpuInfo gpu) {
  public BuildTarget {
    Objects.requireNonNull(tensorRt, "tensorRt");
    Objects.requireNonNull(gpu, "gpu");
  }
}
