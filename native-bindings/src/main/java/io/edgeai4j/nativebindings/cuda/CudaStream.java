package io.edgeai4j.nativebindings.cuda;

import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.cuda.cudart.CUstream_st;

/**
 * A non-blocking CUDA stream ({@code cudaStreamCreateWithFlags(cudaStreamNonBlocking)}: it does not synchronize
 * with the legacy default stream, which TensorRT advises against for {@code enqueueV3}), with asynchronous copies
 * between pinned host memory and device memory. Work on one stream runs in order; {@link #synchronize()} waits for
 * it. One stream per worker: not for concurrent use by several threads. The creator closes it
 * ({@code cudaStreamDestroy}); {@code close()} is idempotent.
 */
public final class CudaStream implements AutoCloseable {
  private CUstream_st stream;

  private CudaStream(CUstream_st stream) {
    this.stream = stream;
  }

  /**
   * Creates a non-blocking stream.
   *
   * @throws CudaException {@code cudaStreamCreateWithFlags(cudaStreamNonBlocking)} failed.
   */
  public static CudaStream create() throws NativeBindingException {
    Cuda.load();
    CUstream_st s = new CUstream_st();
    CudaErrors.check("cudaStreamCreateWithFlags(cudaStreamNonBlocking)",
        cudaStreamCreateWithFlags(s, cudaStreamNonBlocking));
    return new CudaStream(s);
  }

  /** The native stream, for {@code enqueueV3}. */
  public synchronized CUstream_st handle() {
    if (stream == null) {
      throw new IllegalStateException("CudaStream is closed");
    }
    return stream;
  }

  /**
   * Queues a copy of {@code bytes} from pinned host memory to device memory.
   *
   * @throws CudaException {@code cudaMemcpyAsync(HostToDevice, <bytes> bytes)} failed.
   */
  public void copyToDevice(PinnedHostBuffer from, DeviceBuffer to, long bytes) throws CudaException {
    Copies.check(bytes, from.bytes(), to.bytes(), "host", "device");
    CudaErrors.check("cudaMemcpyAsync(HostToDevice, " + bytes + " bytes)",
        cudaMemcpyAsync(to.pointer(), from.hostPointer(), bytes, cudaMemcpyHostToDevice, handle()));
  }

  /**
   * Queues a copy of {@code bytes} from device memory to pinned host memory; read it after {@link #synchronize()}.
   *
   * @throws CudaException {@code cudaMemcpyAsync(DeviceToHost, <bytes> bytes)} failed.
   */
  public void copyToHost(DeviceBuffer from, PinnedHostBuffer to, long bytes) throws CudaException {
    Copies.check(bytes, from.bytes(), to.bytes(), "device", "host");
    CudaErrors.check("cudaMemcpyAsync(DeviceToHost, " + bytes + " bytes)",
        cudaMemcpyAsync(to.hostPointer(), from.pointer(), bytes, cudaMemcpyDeviceToHost, handle()));
  }

  /**
   * Waits for all work queued on this stream.
   *
   * @throws CudaException {@code cudaStreamSynchronize} failed, e.g. with the error of a kernel that ran on it.
   */
  public void synchronize() throws CudaException {
    CudaErrors.check("cudaStreamSynchronize", cudaStreamSynchronize(handle()));
  }

  /** Destroys the stream ({@code cudaStreamDestroy}); queued work still completes. Idempotent. */
  @Override
  public synchronized void close() throws CudaException {
    if (stream != null) {
      CUstream_st s = stream;
      stream = null;
      CudaErrors.check("cudaStreamDestroy", cudaStreamDestroy(s));
    }
  }
}
