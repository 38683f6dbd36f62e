package io.edgeai4j.benchmarks;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.OptimizationLevel;
import io.edgeai4j.inference.serving.ModelRepositoryException;
import io.edgeai4j.inference.serving.ModelServer;
import io.edgeai4j.inference.serving.ServingConfig;
import io.edgeai4j.inference.serving.VersionPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link ModelServer} on the {@value #BACKEND} backend (found with {@link Backends}, as the module finds it) serving
 * one model of a repository, with the benchmarks' session settings ({@link #OPTIONS}). Owns the server and the
 * backend; {@link #close()} closes both, server first, and is idempotent. Thread-safe as the server is.
 */
final class OnnxServing implements AutoCloseable {
  /** The backend every benchmark runs on. */
  static final String BACKEND = "onnxruntime-cpu";
  /** One intra-op and one inter-op thread, all graph optimisations: the baseline's settings too. */
  static final BackendOptions OPTIONS = BackendOptions.builder().intraOpThreads(1).interOpThreads(1)
      .optimizationLevel(OptimizationLevel.ALL).build();

  private final InferenceBackend backend;
  private final ModelServer server;
  private boolean closed;

  /**
   * Opens the backend and loads (and warms up) the newest version of {@code model}.
   *
   * @throws BackendException If {@value #BACKEND} is unavailable here; the message lists every backend's probe.
   * @throws ModelRepositoryException If the model does not load.
   */
  OnnxServing(Path repository, String model) throws BackendException, ModelRepositoryException {
    backend = Backends.select(BACKEND, Backends.probeAll()).provider().open(OPTIONS);
    try {
      server = new ModelServer(backend, new PrometheusRegistry(), "benchmarks");
      try {
        server.apply(new ServingConfig(repository, Map.of(model, VersionPolicy.latest(1))));
      } catch (ModelRepositoryException | RuntimeException e) {
        server.close();
        throw e;
      }
    } catch (ModelRepositoryException | RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  ModelServer server() {
    return server;
  }

  /** The backend, to load a model beside the server's (the caller owns what it loads, and closes it first). */
  InferenceBackend backend() {
    return backend;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } finally {
      backend.close();
    }
  }
}
