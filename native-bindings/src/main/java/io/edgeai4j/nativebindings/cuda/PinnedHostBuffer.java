package io.edgeai4j.nativebindings.cuda;

import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaHostAlloc;
import static org.bytedeco.cuda.global.cudart.cudaHostAllocDefault;
import static org.bytedeco.cuda.global.cudart.cudaHostAllocMapped;
import static org.bytedeco.cuda.global.cudart.cudaHostGetDevicePointer;

import io.edgeai4j.nativebindings.NativeBindingException;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;

/**
 * Page-locked host memory from {@code cudaHostAlloc}, freed by {@link #close()} with {@code cudaFreeHost}.
 * Pinned memory makes {@code cudaMemcpyAsync} truly asynchronous. In {@linkplain #allocateMapped mapped} mode the
 * GPU reads and writes it directly through {@link #devicePointer()} ({@code cudaHostGetDevicePointer}): on an
 * integrated GPU (Jetson, {@link GpuInfo#integrated()}) CPU and GPU share the memory, so this avoids copies (on
 * 64-bit Linux with unified addressing, which Jetson and every TensorRT 10 GPU have, host memory is mapped without
 * {@code cudaSetDeviceFlags(cudaDeviceMapHost)}). The
 * creator owns and closes it; {@code close()} is idempotent and thread-safe; the contents are not synchronized.
 */
public final class PinnedHostBuffer implements AutoCloseable {
  private final long bytes;
  private final boolean mapped;
  private Pointer host;
  private Pointer device;

  private PinnedHostBuffer(Pointer host, Pointer device, long bytes, boolean mapped) {
    this.host = host;
    this.device = device;
    this.bytes = bytes;
    this.mapped = mapped;
  }

  /**
   * Allocates pinned host memory for copies ({@code cudaHostAllocDefault}).
   *
   * @throws CudaException {@code cudaHostAlloc(<bytes> bytes, default)} failed.
   */
  public static PinnedHostBuffer allocate(long bytes) throws NativeBindingException {
    return allocate(bytes, false);
  }

  /**
   * Allocates pinned host memory the GPU addresses directly ({@code cudaHostAllocMapped}).
   *
   * @throws CudaException {@code cudaHostAlloc(<bytes> bytes, mapped)} or {@code cudaHostGetDevicePointer} failed.
   */
  public static PinnedHostBuffer allocateMapped(long bytes) throws NativeBindingException {
    return allocate(bytes, true);
  }

  private static PinnedHostBuffer allocate(long bytes, boolean mapped) throws NativeBindingException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("a pinned host buffer needs a positive size, found " + bytes + " bytes");
    }
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a pinned host buffer is at most " + Integer.MAX_VALUE
          + " bytes (one ByteBuffer view), found " + bytes);
    }
    Cuda.load();
    Pointer h = new Pointer();
    CudaErrors.check("cudaHostAlloc(" + bytes + " bytes, " + (mapped ? "mapped" : "default") + ")",
        cudaHostAlloc(h, bytes, mapped ? cudaHostAllocMapped : cudaHostAllocDefault));
    Pointer d = null;
    if (mapped) {
      d = new Pointer();
      int code = cudaHostGetDevicePointer(d, h, 0);
      if (code != CudaErrors.SUCCESS) {
        cudaFreeHost(h);
        throw CudaErrors.exception("cudaHostGetDevicePointer(" + bytes + " bytes)", code);
      }
    }
    h.capacity(bytes);
    return new PinnedHostBuffer(h, d, bytes, mapped);
  }

  /** The size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** Whether the GPU addresses this memory directly. */
  public boolean mapped() {
    return mapped;
  }

  /** The host address. */
  public synchronized Pointer hostPointer() {
    requireOpen();
    return host;
  }

  /**
   * The device address of mapped memory, for {@code setTensorAddress}.
   *
   * @throws IllegalStateException The buffer is not mapped, or is closed.
   */
  public synchronized Pointer devicePointer() {
    requireOpen();
    if (!mapped) {
      throw new IllegalStateException("PinnedHostBuffer of " + bytes + " bytes is not mapped: allocate it with"
          + " allocateMapped to give the GPU its address");
    }
    return device;
  }

  /** A direct, native-order view of the whole buffer (no copy); invalid after {@link #close()}. */
  public synchronized ByteBuffer asByteBuffer() {
    requireOpen();
    return host.asByteBuffer();
  }

  /** Whether {@link #close()} ran. */
  public synchronized boolean isClosed() {
    return host == null;
  }

  /** Frees the memory with {@code cudaFreeHost}; the stream work using it must be finished. Idempotent. */
  @Override
  public synchronized void close() throws CudaException {
    if (host != null) {
      Pointer h = host;
      host = null;
      device = null;
      CudaErrors.check("cudaFreeHost(" + bytes + " bytes)", cudaFreeHost(h));
    }
  }

  private void requireOpen() {
    if (host == null) {
      throw new IllegalStateException("PinnedHostBuffer is closed");
    }
  }
}
