package io.edgeai4j.module.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DesiredPropertiesListener;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.UnknownKeys;
import io.edgeai4j.module.host.ModuleHost.State;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.retry.BackoffPolicy;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the host's desired-property work on its twin thread: the whole-twin read at start, desired patches,
 * and the re-read after a reconnection, applied by {@link DesiredProperties}. Made by {@link ModuleHost} and
 * shared with {@link HostLifecycle}, {@link TransportEvents} and {@link ConnectionMonitor}; it owns the twin thread,
 * which {@link HostLifecycle} ends with {@link #shutdownNow()} after the start.
 *
 * <p>Thread-safe: callers only queue work on the one twin thread, so patches, reads and retries run in the
 * order they were queued (or fell due). A patch or reconnection re-read that arrives once the thread is shut
 * down is dropped with a debug line; a re-read while the host is neither starting nor running is skipped.
 */
final class TwinUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name

  private final ModuleIdentity identity;
  private final HostState state;
  private final ScheduledThreadPoolExecutor twinExecutor;
  private final DesiredProperties desired;

  TwinUpdates(ModuleTransport transport, FrameworkMetrics metrics, ModuleIdentity identity, HostState state,
      BackoffPolicy retryPolicy) {
    this.identity = identity;
    this.state = state;
    // One thread: patches, reads and retries run in the order they were queued (or fell due).
    this.twinExecutor = new ScheduledThreadPoolExecutor(1, ModuleHost.threads(identity.moduleId(), "twin"));
    this.twinExecutor.setRemoveOnCancelPolicy(true);
    this.desired = new DesiredProperties(transport, metrics, identity, twinExecutor, retryPolicy);
  }

  /** Reads the whole twin at start and waits for it; a failure is thrown, not retried. */
  void readAtStart() throws Exception {
    // On the twin thread, so that patches queued behind it are applied after it, in order.
    Future<?> read = twinExecutor.submit(() -> {
      desired.readAtStart();
      return null;
    });
    try {
      read.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** Queues a desired patch; the transport's patch is copied, so the transport may reuse it. */
  void applyPatch(ObjectNode patch) {
    ObjectNode copy = patch.deepCopy();
    try {
      twinExecutor.execute(twinTask("applying a desired patch", () -> desired.applyPatch(copy)));
    } catch (RejectedExecutionException e) {
      LOG.debug("Module {} is {}; ignoring desired patch {}", identity, state.get(), copy.path("$version"));
    }
  }

  /** Queues a whole-twin read after a reconnection, while the host is starting or running. */
  void readAfterReconnect() {
    State s = state.get();
    if (s != State.STARTING && s != State.RUNNING) {
      return;
    }
    try {
      twinExecutor.execute(twinTask("reading the twin after reconnecting", desired::readAfterReconnect));
    } catch (RejectedExecutionException e) {
      LOG.debug("Module {} is {}; not reading the twin after reconnecting", identity, state.get());
    }
  }

  /** Binds the desired properties to the module's type; see {@link DesiredProperties#bind}. */
  <T> void bind(Class<T> type, UnknownKeys unknownKeys, DesiredPropertiesListener<T> listener)
      throws DesiredPropertiesException {
    desired.bind(type, unknownKeys, listener);
  }

  /** Adds a module's warning to the document being applied; see {@link DesiredProperties#warn}. */
  void warn(String pointer, String warning) {
    desired.warn(pointer, warning);
  }

  /** Ends the twin thread: queued work and pending retries are dropped, a running one is interrupted. */
  void shutdownNow() {
    twinExecutor.shutdownNow();
  }

  /** Wraps a twin-thread task so that an unexpected failure is logged (a scheduled executor would keep it). */
  private Runnable twinTask(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Module {}: {} failed on the twin thread", identity, what, e);
      }
    };
  }
}
