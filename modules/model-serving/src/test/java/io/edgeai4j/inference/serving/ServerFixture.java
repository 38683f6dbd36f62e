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

/** A server over the real ONNX Runtime CPU backend, instrumented, with its own registry. Close it. */
final class ServerFixture implements AutoCloseable {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final InferenceBackend ort;
  final InstrumentedBackend backend;
  final TestRepository repo;
  final ModelServer server;

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
    ort.close();
  }
}
