package io.edgeai4j.nativebindings.cuda;

import java.util.Objects;

/**
 * One CUDA device as {@code cudaGetDeviceProperties} describes it.
 *
 * @param index The device ordinal.
 * @param name E.g. {@code Orin} or {@code NVIDIA H100 80GB HBM3}.
 * @param computeMajor Compute capability, major (8 for sm_87).
 * @param computeMinor Compute capability, minor (7 for sm_87).
 * @param integrated Whether the GPU shares memory with the CPU (Jetson): mapped host memory avoids copies there.
 * @param totalMemoryBytes Global memory.
 */
public record GpuInfo(int index, String name, int computeMajor, int computeMinor, boolean integrated,
    long totalMemoryBytes) {
  public GpuInfo {
    Objects.requireNonNull(name, "name");
  }

  /** {@code 8.7}. */
  public String computeCapability() {
    return computeMajor + "." + computeMinor;
  }
}
