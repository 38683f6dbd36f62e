package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.TransportException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered input: its handler and the thread that runs it, and what the handler's outcome means for
 * the message (complete, abandon or reject). Owned by {@link HandlerDispatch}, which shuts its thread down.
 *
 * <p>Thread-safe: {@link #dispatch} may be called from any transport thread; the handler runs only on the
 * input's one thread, so messages on one input are handled one at a time, in the order they were dispatched.
 */
final class InputDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name

  private final String name;
  private final InputHandler handler;
  private final ModuleIdentity identity;
  private final String moduleId;
  private final FrameworkMetrics metrics;
  private final BooleanSupplier drainExpired;
  private final ThreadPoolExecutor executor;

  /**
   * Creates the input and its thread (started with the first message).
   *
   * @param drainExpired Says whether the stop's drain timeout has passed: handlers cut off then abandon.
   */
  InputDispatcher(String name, InputHandler handler, ModuleIdentity identity, FrameworkMetrics metrics,
      BooleanSupplier drainExpired) {
    this.name = name;
    this.handler = handler;
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.metrics = metrics;
    this.drainExpired = drainExpired;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        ModuleHost.threads(moduleId, "input-" + name));
  }

  /** Runs the handler on the input's thread and waits for it; abandons when the thread is shut down. */
  MessageDisposition dispatch(EdgeMessage message) {
    Future<MessageDisposition> result;
    try {
      result = executor.submit(() -> handle(message));
    } catch (RejectedExecutionException e) {
      return MessageDisposition.ABANDON;
    }
    try {
      return result.get();
    } catch (CancellationException e) {
      return MessageDisposition.ABANDON;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Module {}: the transport thread waiting on input '{}' was interrupted; abandoning the message",
          identity, name);
      return MessageDisposition.ABANDON;
    } catch (ExecutionException e) {
      LOG.error("Module {}: handler of input '{}' threw an error; abandoning the message", identity, name,
          e.getCause());
      metrics.inputError(moduleId, name);
      return MessageDisposition.ABANDON;
    }
  }

  private MessageDisposition handle(EdgeMessage message) {
    if (drainExpired.getAsBoolean()) {
      return MessageDisposition.ABANDON;
    }
    try {
      MessageDisposition disposition = handler.handle(message);
      if (disposition == null) {
        LOG.error("Module {}: handler of input '{}' returned null; rejecting message {}. Return COMPLETE,"
            + " ABANDON or REJECT", identity, name, message.messageId().orElse("<no id>"));
        metrics.inputError(moduleId, name);
        return MessageDisposition.REJECT;
      }
      if (disposition == MessageDisposition.REJECT) {
        LOG.warn("Module {}: handler of input '{}' rejected message {}", identity, name,
            message.messageId().orElse("<no id>"));
      }
      return disposition;
    } catch (Exception e) {
      if (drainExpired.getAsBoolean()) {
        LOG.warn("Module {}: handler of input '{}' was cut off at the drain timeout ({}); abandoning the message",
            identity, name, ModuleHost.describe(e));
        return MessageDisposition.ABANDON;
      }
      TransportException retryable = retryableTransportFailure(e);
      if (retryable != null) {
        LOG.warn("Module {}: handler of input '{}' failed on message {} because the hub did not take what it"
            + " sent, for now ({}); abandoning the message so that the hub keeps it and offers it again",
            identity, name, message.messageId().orElse("<no id>"), ModuleHost.describe(retryable));
        return MessageDisposition.ABANDON;
      }
      LOG.error("Module {}: handler of input '{}' failed on message {}; rejecting it", identity, name,
          message.messageId().orElse("<no id>"), e);
      metrics.inputError(moduleId, name);
      return MessageDisposition.REJECT;
    }
  }

  /** Interrupts the running handler and cancels the queued messages, whose callers then abandon them. */
  void cancel() {
    for (Runnable queued : executor.shutdownNow()) {
      if (queued instanceof Future<?> future) {
        future.cancel(false);
      }
    }
  }

  /** Lets the queued messages run, then ends the thread; new messages are abandoned. */
  void shutdown() {
    executor.shutdown();
  }

  /** Ends the thread at once; see {@link ThreadPoolExecutor#shutdownNow()}. */
  void shutdownNow() {
    executor.shutdownNow();
  }

  /** Returns the first {@link TransportException} in a cause chain when it is retryable, else null. */
  static TransportException retryableTransportFailure(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TransportException transportFailure) {
        return transportFailure.isRetryable() ? transportFailure : null;
      }
    }
    return null;
  }
}
