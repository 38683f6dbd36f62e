package io.edgeai4j.inference.module;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends results off the model server's threads, on its own small pool, so that a slow hub never stalls a batch.
 * A send the hub refuses with a retryable error is tried again with backoff ({@link #RETRY_POLICY}: 100 ms
 * doubling to 5 s, with jitter) until it
 * succeeds or the sender closes; a message given up is logged with its correlation id and counted, and its
 * {@code done} still runs. Callbacks handed to {@link #executor()} always run: on the pool, or on the caller's
 * thread once the pool is closed. Owns its threads; {@link #close} is idempotent. Thread-safe.
 */
final class ResultSender implements AutoCloseable {
  /** Sends one message to one output; {@code ModuleContext::send}. */
  @FunctionalInterface
  interface Output {
    void send(String output, EdgeMessage message) throws TransportException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ResultSender.class);
  /** The backoff between attempts at a send the hub refused for now: 100 ms doubling to 5 s, default jitter. */
  static final BackoffPolicy RETRY_POLICY = BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

  private final Output output;
  private final ScheduledThreadPoolExecutor pool;
  private final AtomicLong lost = new AtomicLong();
  /** Sends waiting for their retry; each is claimed once, by its retry or by {@link #close}. */
  private final Set<Retry> retries = ConcurrentHashMap.newKeySet();

  /** A send waiting to be tried again. */
  private final class Retry implements Runnable {
    private final String outputName;
    private final EdgeMessage message;
    private final Runnable done;
    private final long failures;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Retry(String outputName, EdgeMessage message, Runnable done, long failures) {
      this.outputName = outputName;
      this.message = message;
      this.done = done;
      this.failures = failures;
    }

    boolean claim() {
      retries.remove(this);
      return claimed.compareAndSet(false, true);
    }

    @Override
    public void run() {
      if (claim()) {
        attempt(outputName, message, done, failures);
      }
    }
  }

  ResultSender(Output output, String moduleId, int threads) {
    this.output = output;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, moduleId + "-results-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = new ScheduledThreadPoolExecutor(threads, factory);
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs completion callbacks on the pool, or on the calling thread once the pool is closed: never drops one. */
  Executor executor() {
    return task -> {
      try {
        pool.execute(task);
      } catch (RejectedExecutionException closed) {
        task.run();
      }
    };
  }

  /** Messages given up (the sender closed, or the hub refused them for good). */
  long lost() {
    return lost.get();
  }

  /**
   * Sends on the calling thread, retrying later on this sender's pool when the hub refuses it for now.
   *
   * @param done Runs once, when the message is sent or given up.
   */
  void send(String outputName, EdgeMessage message, Runnable done) {
    attempt(outputName, message, done, 0);
  }

  /** @param failures The refusals of this message so far. */
  private void attempt(String outputName, EdgeMessage message, Runnable done, long failures) {
    try {
      output.send(outputName, message);
      done.run();
    } catch (TransportException e) {
      if (!e.isRetryable()) {
        giveUp(outputName, message, done, e.toString());
        return;
      }
      long refusals = failures + 1;
      Duration delay = RETRY_POLICY.delay(refusals, ThreadLocalRandom.current().nextDouble());
      LOG.debug("Output {} refused a result for now ({}); retrying in {} ms", outputName, e.getMessage(),
          delay.toMillis());
      Retry retry = new Retry(outputName, message, done, refusals);
      retries.add(retry);
      try {
        pool.schedule(retry, delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        if (retry.claim()) {
          giveUp(outputName, message, done, "the module is stopping (" + e.getMessage() + ")");
        }
      }
    } catch (RuntimeException e) {
      giveUp(outputName, message, done, e.toString());
    }
  }

  private void giveUp(String outputName, EdgeMessage message, Runnable done, String why) {
    lost.incrementAndGet();
    LOG.error("A message for output {} (correlation id {}) was not sent: {}", outputName,
        message.correlationId().orElse("none"), why);
    done.run();
  }

  /**
   * Stops retrying: each send waiting for a retry is given up (counted, its {@code done} run); callbacks already
   * handed over still run. Waits up to {@code grace} for them and for sends in progress.
   */
  void close(Duration grace) {
    pool.shutdown();
    int givenUp = 0;
    for (Retry retry : List.copyOf(retries)) {
      if (retry.claim()) {
        givenUp++;
        giveUp(retry.outputName, retry.message, retry.done, "the module is stopping");
      }
    }
    if (givenUp > 0) {
      LOG.error("{} messages waiting to be sent again were given up: the module is stopping", givenUp);
    }
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
