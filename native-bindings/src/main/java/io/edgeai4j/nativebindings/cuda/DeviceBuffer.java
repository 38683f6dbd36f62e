package io.edgeai4j.nativebindings.cuda;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.javacpp.Pointer;

/**
 * Device memory from {@code cudaMalloc}, freed by {@link #close()} with {@code cudaFree}. Its address is checked to
 * be 256-byte aligned, as TensorRT requires of tensor addresses. The creator owns and closes it; {@code close()} is
 * idempotent and thread-safe; using it after close throws {@link IllegalStateException}.
 */
public final class DeviceBuffer implements AutoCloseable {
  /** The alignment TensorRT requires of a tensor address ({@code setTensorAddress}). */
  public static final long ALIGNMENT = 256;

  private final long bytes;
  private Pointer pointer;

  private DeviceBuffer(Pointer pointer, long bytes) {
    this.pointer = pointer;
    this.bytes = bytes;
  }

  /**
   * Allocates {@code bytes} of device memory.
   *
   * @throws CudaException {@code cudaMalloc(<bytes> bytes)} failed, e.g. {@code cudaErrorMemoryAllocation}.
   * @throws NativeBindingException The CUDA runtime cannot be loaded, or the address is not 256-byte aligned.
   */
  public static DeviceBuffer allocate(long bytes) throws NativeBindingException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("a device buffer needs a positive size, found " + bytes + " bytes");
    }
    Cuda.load();
    Pointer p = new Pointer();
    String op = "cudaMalloc(" + bytes + " bytes)";
    CudaErrors.check(op, cudaMalloc(p, bytes));
    if (p.address() % ALIGNMENT != 0) {
      cudaFree(p);
      throw new NativeBindingException(op, "address 0x" + Long.toHexString(p.address())
          + " is not " + ALIGNMENT + "-byte aligned as TensorRT requires");
    }
    return new DeviceBuffer(p, bytes);
  }

  /** The size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** The device address, for {@code setTensorAddress} and copies. */
  public synchronized Pointer pointer() {
    if (pointer == null) {
      throw new IllegalStateException("DeviceBuffer is closed");
    }
    return pointer;
  }

  /** Whether {@link #close()} ran. */
  public synchronized boolean isClosed() {
    return pointer == null;
  }

  /** Frees the memory with {@code cudaFree}; the stream work using it must be finished. Idempotent. */
  @Override
  public synchronized void close() throws CudaException {
    if (pointer != null) {
      Pointer p = pointer;
      pointer = null;
      CudaErrors.check("cudaFree(" + bytes + " bytes)", cudaFree(p));
    }
  }
}
