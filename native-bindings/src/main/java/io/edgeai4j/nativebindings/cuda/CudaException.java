package io.edgeai4j.nativebindings.cuda;

import io.edgeai4j.nativebindings.NativeBindingException;

/**
 * A CUDA runtime call that returned an error: names the call with its arguments (e.g. {@code cudaMalloc(4194304
 * bytes)}), the {@code cudaError_t} code, CUDA's name for it ({@code cudaErrorMemoryAllocation}) and its
 * description ({@code out of memory}). Made by {@link CudaErrors#check(String, int)}.
 */
public final class CudaException extends NativeBindingException {
  private static final long serialVersionUID = 1L;

  private final String errorName;
  private final String description;

  CudaException(String operation, int code, String errorName, String description) {
    super(operation, code, errorName + " (" + description + ")", null);
    this.errorName = errorName;
    this.description = description;
  }

  /** CUDA's name for the code, e.g. {@code cudaErrorNoDevice}. */
  public String errorName() {
    return errorName;
  }

  /** CUDA's description of the code, e.g. {@code no CUDA-capable device is detected}. */
  public String description() {
    return description;
  }
}
