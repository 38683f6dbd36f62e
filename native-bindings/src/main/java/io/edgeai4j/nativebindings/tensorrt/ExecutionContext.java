package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.CudaEvent;
import io.edgeai4j.nativebindings.cuda.CudaStream;
import io.edgeai4j.nativebindings.cuda.DeviceBuffer;
import io.edgeai4j.nativebindings.cuda.PinnedHostBuffer;
import io.edgeai4j.nativebindings.perf.InferenceTrace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One worker's execution context: an {@code IExecutionContext}, its own non-blocking {@link CudaStream}, and one
 * buffer per IO tensor allocated once for the largest shape (inputs at their profile max). With device buffers, a
 * run copies inputs from pinned host memory to the device, runs {@code enqueueV3} and copies outputs back; with mapped
 * pinned host memory (integrated GPUs) TensorRT reads and writes the host memory directly and nothing is copied.
 *
 * <p>Use: {@link #input} for each input (fill the returned buffer), {@link #execute()}, then {@link #output}. Not
 * thread-safe: one context per worker thread. {@link #close()} (idempotent) frees the stream and buffers; the
 * {@code IExecutionContext} itself cannot be freed from Java (bytedeco/javacpp-presets#1699), so create contexts once
 * per worker and reuse them.
 *
 * <p>Timing: {@link #startTiming()} then {@link #executeTimed()} per query returns an {@link InferenceTrace} as
 * trtexec measures it: H2D, GPU compute and D2H from CUDA events recorded on the context's stream around each phase
 * (with mapped memory there is no copy: H2D and D2H are zero-length), enqueue from the host clock, all in ms since
 * {@code startTiming()}.
 */
public final class ExecutionContext implements AutoCloseable {
  private final IExecutionContext context;
  private final CudaStream stream;
  private final boolean mapped;
  private final Map<String, Binding> bindings;
  private boolean closed;
  /** The timing origin and the four phase boundaries; null until {@link #startTiming()}. */
  private CudaEvent[] events;
  private long originNanos;

  private static final class Binding {
    final TensorInfo info;
    final PinnedHostBuffer host;
    final DeviceBuffer device;
    long[] shape;

    Binding(TensorInfo info, PinnedHostBuffer host, DeviceBuffer device, long[] shape) {
      this.info = info;
      this.host = host;
      this.device = device;
      this.shape = shape;
    }

    long bytes() {
      return Shapes.volume(info.name(), shape) * info.type().bytes();
    }
  }

  private ExecutionContext(IExecutionContext context, CudaStream stream, boolean mapped,
      Map<String, Binding> bindings) {
    this.context = context;
    this.stream = stream;
    this.mapped = mapped;
    this.bindings = bindings;
  }

  static ExecutionContext create(TensorRtEngine engine, ICudaEngine nativeEngine,
      boolean mapped) throws NativeBindingException {
    IExecutionContext ctx = nativeEngine.createExecutionContext();
    if (ctx == null || ctx.isNull()) {
      throw new NativeBindingException("ICudaEngine.createExecutionContext",
          "returned null" + TensorRtLogger.instance().errorSuffix());
    }
    Map<String, Binding> bindings = new LinkedHashMap<>();
    CudaStream stream = CudaStream.create();
    try {
      for (TensorInfo t : engine.inputs()) {
        setInputShape(ctx, t.name(), t.max());
      }
      for (TensorInfo t : engine.tensors()) {
        long[] max = t.input() ? t.max() : Shapes.fromDims(ctx.getTensorShape(t.name()));
        long bytes = Math.max(1, Shapes.volume(t.name(), max) * t.type().bytes());
        PinnedHostBuffer host = mapped ? PinnedHostBuffer.allocateMapped(bytes) : PinnedHostBuffer.allocate(bytes);
        DeviceBuffer device = null;
        try {
          device = mapped ? null : DeviceBuffer.allocate(bytes);
        } finally {
          bindings.put(t.name(), new Binding(t, host, device, max));
        }
        if (!ctx.setTensorAddress(t.name(), mapped ? host.devicePointer() : device.pointer())) {
          throw new NativeBindingException("IExecutionContext.setTensorAddress(" + t.name() + ")",
              "returned false" + TensorRtLogger.instance().errorSuffix());
        }
      }
      return new ExecutionContext(ctx, stream, mapped, bindings);
    } catch (NativeBindingException | RuntimeException e) {
      closeAll(stream, bindings);
      throw e;
    }
  }

  /**
   * Sets an input's shape for the next run and returns its host buffer to fill: native byte order, limit = the bytes
   * of that shape.
   *
   * @throws IllegalArgumentException An unknown input, or a shape outside the engine's profile (naming both).
   */
  public ByteBuffer input(String name, long[] shape) {
    Binding b = binding(name);
    if (!b.info.input()) {
      throw new IllegalArgumentException("'" + name + "' is an output, expected one of the inputs "
          + bindings.values().stream().filter(x -> x.info.input()).map(x -> x.info.name()).toList());
    }
    Shapes.requireWithin(name, shape, b.info.min(), b.info.max());
    b.shape = shape.clone();
    ByteBuffer buf = b.host.asByteBuffer().order(ByteOrder.nativeOrder());
    buf.limit(Math.toIntExact(b.bytes()));
    return buf;
  }

  /**
   * Runs the engine on the inputs set and waits for the outputs.
   *
   * @throws NativeBindingException The failing call: {@code IExecutionContext.setInputShape},
   *     {@code enqueueV3} (with TensorRT's errors), a copy or {@code cudaStreamSynchronize}.
   */
  public void execute() throws NativeBindingException {
    requireOpen();
    enqueue(null);
    stream.synchronize();
  }

  /**
   * Starts timing on this context: creates its events once (five, destroyed by {@link #close()}), records the origin
   * on the stream and waits for it; the traces of {@link #executeTimed()} count from here. Call it again to start a
   * new run.
   *
   * @throws NativeBindingException The failing CUDA call.
   */
  public void startTiming() throws NativeBindingException {
    requireOpen();
    if (events == null) {
      CudaEvent[] created = new CudaEvent[5];
      try {
        for (int i = 0; i < created.length; i++) {
          created[i] = CudaEvent.create();
        }
      } catch (NativeBindingException | RuntimeException e) {
        for (CudaEvent c : created) {
          if (c != null) {
            c.close();
          }
        }
        throw e;
      }
      events = created;
    }
    events[0].record(stream);
    events[0].synchronize();
    originNanos = System.nanoTime();
  }

  /**
   * {@link #execute()} with its phases timed (see the class comment).
   *
   * @throws IllegalStateException {@link #startTiming()} was not called.
   * @throws NativeBindingException As {@link #execute()}, or a failing event call.
   */
  public InferenceTrace executeTimed() throws NativeBindingException {
    requireOpen();
    if (events == null) {
      throw new IllegalStateException("executeTimed() before startTiming(): call startTiming() once per run first");
    }
    double enqStart = (System.nanoTime() - originNanos) / 1e6;
    enqueue(events);
    double enqEnd = (System.nanoTime() - originNanos) / 1e6;
    stream.synchronize();
    double h2dStart = CudaEvent.elapsedMs(events[0], events[1]);
    double computeStart = CudaEvent.elapsedMs(events[0], events[2]);
    double computeEnd = CudaEvent.elapsedMs(events[0], events[3]);
    double d2hEnd = CudaEvent.elapsedMs(events[0], events[4]);
    return new InferenceTrace(enqStart, enqEnd, h2dStart, computeStart, computeStart, computeEnd, computeEnd,
        d2hEnd);
  }

  /** Sets the shapes and enqueues copies and {@code enqueueV3}; records events 1 to 4 around the phases if given. */
  private void enqueue(CudaEvent[] marks) throws NativeBindingException {
    record(marks, 1);
    for (Binding b : bindings.values()) {
      if (b.info.input()) {
        setInputShape(context, b.info.name(), b.shape);
        if (!mapped) {
          stream.copyToDevice(b.host, b.device, b.bytes());
        }
      }
    }
    record(marks, 2);
    if (!context.enqueueV3(stream.handle())) {
      throw new NativeBindingException("IExecutionContext.enqueueV3",
          "returned false" + TensorRtLogger.instance().errorSuffix());
    }
    record(marks, 3);
    for (Binding b : bindings.values()) {
      if (!b.info.input()) {
        b.shape = Shapes.fromDims(context.getTensorShape(b.info.name()));
        if (!mapped) {
          stream.copyToHost(b.device, b.host, b.bytes());
        }
      }
    }
    record(marks, 4);
  }

  private void record(CudaEvent[] marks, int i) throws NativeBindingException {
    if (marks != null) {
      marks[i].record(stream);
    }
  }

  /** An output of the last {@link #execute()}. */
  public HostTensor output(String name) {
    Binding b = binding(name);
    if (b.info.input()) {
      throw new IllegalArgumentException("'" + name + "' is an input, expected one of the outputs "
          + bindings.values().stream().filter(x -> !x.info.input()).map(x -> x.info.name()).toList());
    }
    ByteBuffer view = b.host.asByteBuffer().order(ByteOrder.nativeOrder());
    view.limit(Math.toIntExact(b.bytes()));
    return new HostTensor(name, b.info.type(), b.shape, view.asReadOnlyBuffer().order(ByteOrder.nativeOrder()));
  }

  /** Whether this context uses mapped host memory (no copies). */
  public boolean mapped() {
    return mapped;
  }

  /** Frees the stream and the buffers (not the {@code IExecutionContext}: see the class comment). Idempotent. */
  @Override
  public void close() throws NativeBindingException {
    if (!closed) {
      closed = true;
      NativeBindingException first = null;
      for (CudaEvent e : events == null ? new CudaEvent[0] : events) {
        try {
          e.close();
        } catch (NativeBindingException x) {
          first = first == null ? x : first;
        }
      }
      closeAll(stream, bindings);
      if (first != null) {
        throw first;
      }
    }
  }

  private Binding binding(String name) {
    requireOpen();
    Binding b = bindings.get(name);
    if (b == null) {
      throw new IllegalArgumentException("unknown tensor '" + name + "', expected one of " + bindings.keySet());
    }
    return b;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("ExecutionContext is closed");
    }
  }

  private static void setInputShape(IExecutionContext ctx, String name, long[] shape)
      throws NativeBindingException {
    try (Dims64 d = Shapes.toDims(name, shape)) {
      if (!ctx.setInputShape(name, d)) {
        throw new NativeBindingException("IExecutionContext.setInputShape(" + name + ", " + Arrays.toString(shape)
            + ")", "returned false" + TensorRtLogger.instance().errorSuffix());
      }
    }
  }

  private static void closeAll(CudaStream stream, Map<String, Binding> bindings) throws NativeBindingException {
    NativeBindingException first = null;
    try {
      stream.synchronize();
    } catch (NativeBindingException e) {
      first = e;
    }
    for (AutoCloseable c : closeables(stream, bindings)) {
      try {
        c.close();
      } catch (NativeBindingException e) {
        first = first == null ? e : first;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static List<AutoCloseable> closeables(CudaStream stream, Map<String, Binding> bindings) {
    List<AutoCloseable> out = new ArrayList<>();
    for (Binding b : bindings.values()) {
      out.add(b.host);
      if (b.device != null) {
        out.add(b.device);
      }
    }
    out.add(stream);
    return out;
  }
}
