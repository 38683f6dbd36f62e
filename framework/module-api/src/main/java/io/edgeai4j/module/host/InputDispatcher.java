package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.Backoff;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
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
 * <p>A message the handler abandons (or fails on with a retryable {@link TransportException}) is offered to
 * it again after a growing delay, on the input's thread, up to a number of attempts ({@link Redelivery}), and
 * then dead-lettered to {@link ModuleHost#DEAD_LETTER_OUTPUT} and completed. While it waits, later messages of
 * the same input wait behind it (the order per input is kept); other inputs, methods and patches do not.
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
  private final CountDownLatch stopping;
  private final Redelivery redelivery;
  private final Outputs outputs;
  private final ThreadPoolExecutor executor;
  /** Set on the input's thread once a stop made it give a message back: the rest follow, to keep the order. */
  private boolean givingBack;

  /**
   * Creates the input and its thread (started with the first message).
   *
   * @param drainExpired Says whether the stop's drain timeout has passed: handlers cut off then abandon.
   * @param stopping Opens when the host stops accepting input: a message waiting to be offered again is then
   *     abandoned to the transport at once.
   * @param redelivery When and how often an abandoned message is offered again, then dead-lettered.
   * @param outputs Where dead letters are sent.
   */
  InputDispatcher(String name, InputHandler handler, ModuleIdentity identity, FrameworkMetrics metrics,
      BooleanSupplier drainExpired, CountDownLatch stopping, Redelivery redelivery, Outputs outputs) {
    this.name = name;
    this.handler = handler;
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.metrics = metrics;
    this.drainExpired = drainExpired;
    this.stopping = stopping;
    this.redelivery = redelivery;
    this.outputs = outputs;
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

  /**
   * Offers a message to the handler until it completes or rejects it; an abandoned one is offered again after
   * the redelivery backoff, up to {@link Redelivery#maxAttempts()}, then dead-lettered. Runs on the input's
   * thread, so a message waiting for its next offer holds up only this input.
   */
  private MessageDisposition handle(EdgeMessage message) {
    if (drainExpired.getAsBoolean() || givingBack) {
      return MessageDisposition.ABANDON;
    }
    Backoff backoff = redelivery.backoff().start();
    for (int attempt = 1; ; attempt++) {
      Attempt outcome = attempt(message);
      if (outcome.disposition() != MessageDisposition.ABANDON || drainExpired.getAsBoolean()) {
        return outcome.disposition();
      }
      if (stopping.getCount() == 0) {
        return giveBack(message, attempt);
      }
      if (attempt >= redelivery.maxAttempts()) {
        return deadLetter(message, attempt, outcome.why(), backoff);
      }
      Duration delay = backoff.next();
      LOG.debug("Module {}: input '{}' abandoned message {} ({}; attempt {} of {}); offering it again in {}",
          identity, name, messageId(message), outcome.why(), attempt, redelivery.maxAttempts(), delay);
      if (!await(delay)) {
        return giveBack(message, attempt);
      }
      metrics.inputRedelivery(moduleId, name);
    }
  }

  /** What one offer to the handler gave, and why, for the log and the dead letter. */
  private record Attempt(MessageDisposition disposition, String why) {}

  private Attempt attempt(EdgeMessage message) {
    try {
      MessageDisposition disposition = handler.handle(message);
      if (disposition == null) {
        LOG.error("Module {}: handler of input '{}' returned null; rejecting message {}. Return COMPLETE,"
            + " ABANDON or REJECT", identity, name, messageId(message));
        metrics.inputError(moduleId, name);
        return new Attempt(MessageDisposition.REJECT, "null disposition");
      }
      if (disposition == MessageDisposition.REJECT) {
        LOG.warn("Module {}: handler of input '{}' rejected message {}", identity, name, messageId(message));
      }
      return new Attempt(disposition, "the handler returned " + disposition);
    } catch (Exception e) {
      if (drainExpired.getAsBoolean()) {
        LOG.warn("Module {}: handler of input '{}' was cut off at the drain timeout ({}); abandoning the message",
            identity, name, ModuleHost.describe(e));
        return new Attempt(MessageDisposition.ABANDON, "cut off at the drain timeout");
      }
      TransportException retryable = retryableTransportFailure(e);
      if (retryable != null) {
        LOG.warn("Module {}: handler of input '{}' failed on message {} because the hub did not take what it"
            + " sent, for now ({}); the host offers it again later", identity, name, messageId(message),
            ModuleHost.describe(retryable));
        return new Attempt(MessageDisposition.ABANDON, "the handler failed: " + ModuleHost.describe(retryable));
      }
      LOG.error("Module {}: handler of input '{}' failed on message {}; rejecting it", identity, name,
          messageId(message), e);
      metrics.inputError(moduleId, name);
      return new Attempt(MessageDisposition.REJECT, "the handler failed: " + ModuleHost.describe(e));
    }
  }

  /**
   * Sends the message to {@link ModuleHost#DEAD_LETTER_OUTPUT} with why and how often it was offered, then
   * completes it. A send the hub refuses for now is retried with the backoff until it succeeds or the host
   * stops (then the message is abandoned to the transport, so the hub keeps it); one that can never succeed
   * (too large, or refused for good) rejects the message, logged at ERROR.
   */
  private MessageDisposition deadLetter(EdgeMessage message, int attempts, String why, Backoff backoff) {
    String reason = "abandoned " + attempts + " times; last: " + why;
    EdgeMessage letter = message.toBuilder()
        .property(ModuleHost.DEAD_LETTER_REASON, reason)
        .property(ModuleHost.DELIVERY_ATTEMPTS, Integer.toString(attempts))
        .property(ModuleHost.DEAD_LETTER_INPUT, name)
        .build();
    while (true) {
      try {
        outputs.send(ModuleHost.DEAD_LETTER_OUTPUT, letter);
        LOG.warn("Module {}: message {} on input '{}' was dead-lettered to output '{}' ({}); route that output"
            + " (e.g. to $upstream) to keep it", identity, messageId(message), name, ModuleHost.DEAD_LETTER_OUTPUT,
            reason);
        metrics.inputDeadLettered(moduleId, name);
        return MessageDisposition.COMPLETE;
      } catch (TransportException | RuntimeException e) {
        TransportException retryable = retryableTransportFailure(e);
        if (retryable == null) {
          LOG.error("Module {}: message {} on input '{}' ({}) could not be dead-lettered to output '{}' ({});"
              + " rejecting it", identity, messageId(message), name, reason, ModuleHost.DEAD_LETTER_OUTPUT,
              ModuleHost.describe(e));
          metrics.inputError(moduleId, name);
          return MessageDisposition.REJECT;
        }
        Duration delay = backoff.next();
        LOG.warn("Module {}: message {} on input '{}' could not be dead-lettered for now ({}); trying again in {}",
            identity, messageId(message), name, ModuleHost.describe(retryable), delay);
        if (!await(delay)) {
          return giveBack(message, attempts);
        }
      }
    }
  }

  /** Waits before the next offer; returns false when the host stops (or the thread is interrupted) first. */
  private boolean await(Duration delay) {
    try {
      return !stopping.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives a message back to the transport unacknowledged, because the host stops; later ones follow. */
  private MessageDisposition giveBack(EdgeMessage message, int attempts) {
    givingBack = true;
    LOG.info("Module {}: stopping; message {} on input '{}' (offered {} time(s)) is abandoned to the transport,"
        + " so the hub keeps it", identity, messageId(message), name, attempts);
    return MessageDisposition.ABANDON;
  }

  private static String messageId(EdgeMessage message) {
    return message.messageId().orElse("<no id>");
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
