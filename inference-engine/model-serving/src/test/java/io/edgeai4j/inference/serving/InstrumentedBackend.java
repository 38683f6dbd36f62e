package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test decorator over a real backend: every model it loads counts runs and closes, records a violation when it
 * is closed with a run in flight or run after close, and can hold runs at a gate the test controls.
 */
final class InstrumentedBackend implements InferenceBackend {
  private final InferenceBackend real;
  final List<Model> loaded = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  /** When closed (the default), runs pass; when open... see {@link #holdRuns()}. */
  private volatile Semaphore gate;
  /** Released once per run that reached the gate. */
  final Semaphore atGate = new Semaphore(0);
  /** Called with each run's inputs before the real run (after the gate); may throw to fail it. */
  volatile RunFault fault;

  /** A failure a test injects into runs: data-dependent, an {@code Error}, anything. */
  @FunctionalInterface
  interface RunFault {
    void check(Map<String, Tensor> inputs) throws InferenceException;
  }

  InstrumentedBackend(InferenceBackend real) {
    this.real = real;
  }

  /** From now on runs wait at the gate until {@link #releaseRuns(int)}. */
  void holdRuns() {
    gate = new Semaphore(0);
  }

  /** Lets {@code n} held runs through. */
  void releaseRuns(int n) {
    gate.release(n);
  }

  /** Lets every run through from now on. */
  void openGate() {
    Semaphore g = gate;
    gate = null;
    if (g != null) {
      g.release(10_000);
    }
  }

  /** Waits until a run is held at the gate. */
  void awaitRunAtGate() throws InterruptedException {
    if (!atGate.tryAcquire(20, TimeUnit.SECONDS)) {
      throw new AssertionError("no run reached the gate within 20 s");
    }
  }

  @Override
  public String name() {
    return "instrumented " + real.name();
  }

  @Override
  public LoadedModel load(Path modelFile, List<TensorSpec> inputs) throws BackendException {
    Model m = new Model(modelFile, real.load(modelFile, inputs));
    loaded.add(m);
    return m;
  }

  /** Loaded models whose file is in {@code versionDir}. */
  List<Model> loadedFrom(Path versionDir) {
    return loaded.stream().filter(m -> m.file.getParent().equals(versionDir)).toList();
  }

  @Override
  public void close() {
    real.close();
  }

  /** A counting decorator. */
  final class Model implements LoadedModel {
    final Path file;
    private final LoadedModel model;
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    /** The most runs ever in flight at once. */
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** The thread of every run, warm-up included, in order. */
    final List<Thread> runThreads = new CopyOnWriteArrayList<>();

    Model(Path file, LoadedModel model) {
      this.file = file;
      this.model = model;
    }

    @Override
    public List<TensorSpec> inputs() {
      return model.inputs();
    }

    @Override
    public List<TensorSpec> outputs() {
      return model.outputs();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws InferenceException {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      runThreads.add(Thread.currentThread());
      try {
        if (closes.get() > 0) {
          violations.add(file + ": run after close");
        }
        Semaphore g = gate;
        if (g != null) {
          atGate.release();
          try {
            // Bounded, so that a test whose run is held on its own thread fails instead of hanging.
            if (!g.tryAcquire(20, TimeUnit.SECONDS)) {
              throw new InferenceException("held at the test gate for 20 s", false, null);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException("interrupted at the test gate", false, e);
          }
        }
        runs.incrementAndGet();
        RunFault f = fault;
        if (f != null) {
          f.check(inputs);
        }
        return model.run(inputs);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void close() {
      if (inFlight.get() > 0) {
        violations.add(file + ": closed with " + inFlight.get() + " runs in flight");
      }
      closes.incrementAndGet();
      model.close();
    }

    boolean closed() {
      return closes.get() > 0;
    }
  }
}
