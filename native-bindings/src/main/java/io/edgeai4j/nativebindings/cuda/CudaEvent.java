package io.edgeai4j.nativebindings.cuda;

import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDefault;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventElapsedTime;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.cuda.cudart.CUevent_st;

/**
 * A CUDA event with timing ({@code cudaEventCreateWithFlags(cudaEventDefault)}): recorded on a stream, it marks when
 * the GPU got there, so the time between two events is what the GPU spent on the work between them (trtexec's H2D,
 * GPU compute and D2H). {@link #close()} destroys it (idempotent). Not thread-safe: one owner records it.
 */
public final class CudaEvent implements AutoCloseable {
  private CUevent_st event;

  private CudaEvent(CUevent_st event) {
    this.event = event;
  }

  /** A new event; loads CUDA first. @throws NativeBindingException CUDA missing, or the CUDA error. */
  public static CudaEvent create() throws NativeBindingException {
    Cuda.load();
    CUevent_st e = new CUevent_st();
    CudaErrors.check("cudaEventCreateWithFlags(cudaEventDefault)", cudaEventCreateWithFlags(e, cudaEventDefault));
    return new CudaEvent(e);
  }

  /** Records this event on {@code stream}: it completes when the work enqueued before it has. */
  public void record(CudaStream stream) throws CudaException {
    CudaErrors.check("cudaEventRecord", cudaEventRecord(handle(), stream.handle()));
  }

  /** Waits until the event completed. */
  public void synchronize() throws CudaException {
    CudaErrors.check("cudaEventSynchronize", cudaEventSynchronize(handle()));
  }

  /**
   * Milliseconds from {@code start} to {@code end} (about 0.5 microsecond resolution), both recorded and completed.
   *
   * @throws CudaException e.g. {@code cudaErrorNotReady} when one has not completed yet.
   */
  public static float elapsedMs(CudaEvent start, CudaEvent end) throws CudaException {
    float[] ms = new float[1];
    CudaErrors.check("cudaEventElapsedTime", cudaEventElapsedTime(ms, start.handle(), end.handle()));
    return ms[0];
  }

  private CUevent_st handle() {
    if (event == null) {
      throw new IllegalStateException("CudaEvent is closed");
    }
    return event;
  }

  /** Destroys the event. Idempotent. */
  @Override
  public void close() throws CudaException {
    if (event != null) {
      CUevent_st e = event;
      event = null;
      CudaErrors.check("cudaEventDestroy", cudaEventDestroy(e));
    }
  }
}
