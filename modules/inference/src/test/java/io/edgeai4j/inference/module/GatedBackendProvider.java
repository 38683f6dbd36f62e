package io.edgeai4j.inference.module;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceBackendProvider;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.onnxruntime.OnnxRuntimeCpuProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test backend, {@value #NAME}: ONNX Runtime CPU whose loads wait while a test holds the {@link #GATE}, so a test
 * can keep a model load in progress as long as it needs. Lowest priority: chosen only when named.
 */
public final class GatedBackendProvider implements InferenceBackendProvider {
  static final String NAME = "gated-onnxruntime-cpu";
  /** Holds loads back while closed. */
  static final Gate GATE = new Gate();

  private final OnnxRuntimeCpuProvider delegate = new OnnxRuntimeCpuProvider();

  /** Loads wait while it is held (at most a minute, so a failed test cannot hang the build). */
  static final class Gate {
    private volatile CountDownLatch held = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    void hold() {
      held = new CountDownLatch(1);
    }

    void release() {
      held.countDown();
    }

    /** Loads waiting at the gate now. */
    int waiting() {
      return waiting.get();
    }

    /**
     * Waits until released (at most a minute), also when interrupted (the interrupt is kept for after the load): a
     * load in progress does not end because its caller was interrupted, and tests rely on that.
     */
    void pass() {
      waiting.incrementAndGet();
      boolean interrupted = false;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      try {
        while (true) {
          try {
            held.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        waiting.decrementAndGet();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 1;
  }

  @Override
  public BackendProbe probe() {
    return delegate.probe();
  }

  @Override
  public InferenceBackend open(BackendOptions options) throws BackendException {
    InferenceBackend backend = delegate.open(options);
    return new InferenceBackend() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public LoadedModel load(Path modelFile, List<TensorSpec> inputs) throws BackendException {
        GATE.pass();
        return backend.load(modelFile, inputs);
      }

      @Override
      public void close() {
        backend.close();
      }
    };
  }
}
