package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.onnxruntime.OnnxRuntimeCpuProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A server over the real ONNX Runtime CPU backend, instrumented, with its own registry. Close it. */
final class ServerFixture implements AutoCloseable {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final InferenceBackend ort;
  final InstrumentedBackend backend;
  final TestRepository repo;
  final ModelServer server;
  /** Callers for {@link #inferFromAnotherThread}: a run held at the gate holds the thread that called infer. */
  private final ExecutorService callers = Executors.newCachedThreadPool();

  ServerFixture(Path root) throws BackendException {
    ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
    backend = new InstrumentedBackend(ort);
    repo = new TestRepository(root);
    server = new ModelServer(backend, registry, "inference");
  }

  /** One request of {@code rows} rows of {@code width}, values {@code base + index}. */
  static InferenceRequest request(String model, Long version, int rows, int width, float base) {
    float[] values = new float[rows * width];
    for (int i = 0; i < values.length; i++) {
      values[i] = base + i;
    }
    return new InferenceRequest(model, version, Map.of("x", Tensor.ofFloats("x", new long[] {rows, width}, values)),
        null);
  }

  /**
   * Calls {@code server.infer} on another thread: with batching off a request may run on its caller's thread, so a
   * test that holds runs at the gate calls from elsewhere.
   */
  CompletableFuture<InferenceResult> inferFromAnotherThread(InferenceRequest request) {
    return CompletableFuture.supplyAsync(() -> server.infer(request), callers).thenCompose(f -> f);
  }

  /** The failure a future completed with (fails the test if it succeeded). */
  static InferenceFailure failure(CompletableFuture<InferenceResult> future) {
    try {
      InferenceResult r = future.join();
      throw new AssertionError("expected a failure, got a result from version " + r.version());
    } catch (CompletionException e) {
      if (e.getCause() instanceof InferenceFailure f) {
        return f;
      }
      throw new AssertionError("expected an InferenceFailure, got " + e.getCause(), e.getCause());
    }
  }

  double metric(String name, String... labels) {
    return MetricValues.value(registry, name, labels);
  }

  @Override
  public void close() {
    backend.openGate();
    server.close();
    callers.shutdownNow();
    try {
      callers.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ort.close();
  }
}
