package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.InferenceBackend;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Skeleton; implementation follows. */
public final class ModelServer implements AutoCloseable {
  public ModelServer(InferenceBackend backend, PrometheusRegistry registry, String moduleLabel) {}

  public CompletableFuture<InferenceResult> infer(InferenceRequest request) {
    return CompletableFuture.failedFuture(new InferenceFailure(FailureKind.NOT_READY, "not implemented", null));
  }

  public void apply(ServingConfig config) throws ModelRepositoryException {}

  public List<ModelStatus> models() {
    return List.of();
  }

  public ModelStatus load(String model, VersionPolicy policy) throws ModelRepositoryException {
    throw new ModelRepositoryException("not implemented");
  }

  public void unload(String model) {}

  @Override
  public void close() {}
}
