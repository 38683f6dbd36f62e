package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.LoadedModel;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the {@link LoadedModel} of a retired {@link ServedVersion}, once, and records it UNLOADED. Owned by its
 * ServedVersion; its {@link VersionScheduler} calls {@link #close()} only once the version is retiring with no
 * accepted request left, so never while a run is in flight. Thread-safe: it owns the {@code closed} future, and
 * closing is serialised on that future's monitor, so the last runs ending on two threads at once close the model
 * once.
 */
final class VersionCloser {
  /** Logs as {@link ServedVersion}, whose log lines these are. */
  private static final Logger LOG = LoggerFactory.getLogger(ServedVersion.class);

  private final String model;
  private final long version;
  private final LoadedModel loaded;
  private final ServingMetrics.Series metrics;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  VersionCloser(String model, long version, LoadedModel loaded, ServingMetrics.Series metrics) {
    this.model = model;
    this.version = version;
    this.loaded = loaded;
    this.metrics = metrics;
  }

  /** Whether the model is closed. */
  boolean isClosed() {
    return closed.isDone();
  }

  /** Closes the model and writes UNLOADED, unless that was done already; returns whether this call did it. */
  boolean close() {
    synchronized (closed) {
      if (closed.isDone()) {
        return false;
      }
      try {
        loaded.close();
      } catch (RuntimeException e) {
        LOG.warn("model '{}' version {}: closing the model failed", model, version, e);
      }
      metrics.state(VersionState.UNLOADED);
      LOG.info("model '{}' version {} unloaded", model, version);
      closed.complete(null);
      return true;
    }
  }
}
