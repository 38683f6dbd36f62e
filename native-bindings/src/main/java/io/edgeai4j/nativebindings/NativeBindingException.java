package io.edgeai4j.nativebindings;

import java.util.OptionalInt;

/**
 * A CUDA or TensorRT call that failed, or a native library that could not be used: names the operation (e.g.
 * {@code cudaMalloc(4194304 bytes)}, {@code IExecutionContext.enqueueV3}) and, where the library returned one, the
 * error code.
 */
public class NativeBindingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Integer code;

  public NativeBindingException(String operation, String message) {
    this(operation, null, message, null);
  }

  public NativeBindingException(String operation, Integer code, String message, Throwable cause) {
    super(operation + (code == null ? "" : " failed with code " + code) + ": " + message, cause);
    this.operation = operation;
    this.code = code;
  }

  /** The call or step that failed. */
  public String operation() {
    return operation;
  }

  /** The library's error code, when it returned one. */
  public OptionalInt code() {
    return code == null ? OptionalInt.empty() : OptionalInt.of(code);
  }
}
