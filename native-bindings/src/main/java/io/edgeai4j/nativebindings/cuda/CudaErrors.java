package io.edgeai4j.nativebindings.cuda;

import java.util.Map;

/**
 * Turns {@code cudaError_t} codes into {@link CudaException}s. Names and descriptions come from
 * {@code cudaGetErrorName}/{@code cudaGetErrorString} once the CUDA runtime is loaded ({@link Cuda#load()}), else
 * from a built-in table of the common codes (their values are the same in CUDA 12 and 13); a code in neither is
 * {@code cudaError<code>} ({@code unknown to this table}). Thread-safe, stateless.
 */
public final class CudaErrors {
  /** {@code cudaSuccess}. */
  public static final int SUCCESS = 0;

  record Known(String name, String description) { }

  // From CUDA's driver_types.h (12.x and 13.x agree on these values and texts).
  static final Map<Integer, Known> TABLE = Map.ofEntries(
      Map.entry(0, new Known("cudaSuccess", "no error")),
      Map.entry(1, new Known("cudaErrorInvalidValue", "invalid argument")),
      Map.entry(2, new Known("cudaErrorMemoryAllocation", "out of memory")),
      Map.entry(3, new Known("cudaErrorInitializationError", "initialization error")),
      Map.entry(4, new Known("cudaErrorCudartUnloading", "driver shutting down")),
      Map.entry(21, new Known("cudaErrorInvalidMemcpyDirection", "invalid copy direction for memcpy")),
      Map.entry(34, new Known("cudaErrorStubLibrary", "CUDA driver is a stub library")),
      Map.entry(35, new Known("cudaErrorInsufficientDriver",
          "CUDA driver version is insufficient for CUDA runtime version")),
      Map.entry(46, new Known("cudaErrorDevicesUnavailable", "CUDA-capable device(s) is/are busy or unavailable")),
      Map.entry(98, new Known("cudaErrorInvalidDeviceFunction", "invalid device function")),
      Map.entry(100, new Known("cudaErrorNoDevice", "no CUDA-capable device is detected")),
      Map.entry(101, new Known("cudaErrorInvalidDevice", "invalid device ordinal")),
      Map.entry(209, new Known("cudaErrorNoKernelImageForDevice",
          "no kernel image is available for execution on the device")),
      Map.entry(400, new Known("cudaErrorInvalidResourceHandle", "invalid resource handle")),
      Map.entry(600, new Known("cudaErrorNotReady", "device not ready")),
      Map.entry(700, new Known("cudaErrorIllegalAddress", "an illegal memory access was encountered")),
      Map.entry(719, new Known("cudaErrorLaunchFailure", "unspecified launch failure")),
      Map.entry(801, new Known("cudaErrorNotSupported", "operation not supported")),
      Map.entry(999, new Known("cudaErrorUnknown", "unknown error")));

  private CudaErrors() { }

  /**
   * Returns if {@code code} is {@code cudaSuccess}.
   *
   * @param operation The call with its arguments, e.g. {@code cudaMalloc(4194304 bytes)}.
   * @param code What the call returned.
   * @throws CudaException When {@code code} is not {@code cudaSuccess}, naming the operation, the code, its name
   *     and its description.
   */
  public static void check(String operation, int code) throws CudaException {
    if (code != SUCCESS) {
      throw exception(operation, code);
    }
  }

  /** The exception {@link #check} throws for {@code code}. */
  public static CudaException exception(String operation, int code) {
    Known k = describe(code);
    return new CudaException(operation, code, k.name(), k.description());
  }

  static Known describe(int code) {
    if (Cuda.isLoaded()) {
      Known fromLibrary = Cuda.errorText(code);
      if (fromLibrary != null) {
        return fromLibrary;
      }
    }
    Known k = TABLE.get(code);
    return k != null ? k : new Known("cudaError" + code, "unknown to this table; load the CUDA runtime for its text");
  }
}
