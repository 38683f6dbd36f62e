package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's own thread: runs its events one at a time, in the order queued, and its timers. An event that fails
 * unexpectedly ends the update {@code failed} (internal error); an event queued once closed is dropped.
 *
 * <p>Owned by {@link ModelWorker}, which closes it: {@link #close()} interrupts the thread (a download stops, its
 * state stays {@code downloading} to resume) and waits for it. Thread-safe: events and timers are queued from any
 * thread through the executor; what they touch is confined to the thread.
 */
final class WorkerThread {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final WorkerState state;
  private final Clock clock;
  private final ScheduledExecutorService executor;

  WorkerThread(String model, WorkerState state, Clock clock) {
    this.model = model;
    this.state = state;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "model-update-" + model);
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues an event. */
  void submit(Runnable event) {
    try {
      executor.execute(() -> {
        try {
          event.run();
        } catch (RuntimeException e) {
          LOG.error("Model {}: update step failed unexpectedly", model, e);
          ModelState s = state.get();
          state.set(s.to(UpdateState.FAILED, clock.instant(), s.desiredVersion(), s.release())
              .withReason("internal error: " + e), true);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("Model {}: worker closed, event dropped", model);
    }
  }

  /** Runs {@code task} on the thread after {@code delay}, as it is (not as an event). */
  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return executor.schedule(task, delay, unit);
  }

  /** Interrupts the thread and waits up to 10 s for it. Idempotent. */
  void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("Model {}: worker thread did not stop within 10 s", model);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
