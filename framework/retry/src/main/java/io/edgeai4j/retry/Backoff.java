package io.edgeai4j.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The delays between attempts at one thing (a connection, a download), following a {@link BackoffPolicy}:
 * {@link #next()} after each failure, {@link #reset()} after a success. Counts the failures in a row, so a caller
 * can report and save them, and {@link #resume(long)} after a restart. Not thread-safe: the thread that retries
 * owns it.
 */
public final class Backoff {
  private final BackoffPolicy policy;
  private final DoubleSupplier random;
  private long failures;

  Backoff(BackoffPolicy policy) {
    this(policy, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** @param random Numbers in {@code [0, 1)} for the jitter (tests pass a fixed one). */
  public Backoff(BackoffPolicy policy, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Counts one more failure and returns how long to wait before the next attempt. */
  public Duration next() {
    failures++;
    return policy.delay(failures, random.getAsDouble());
  }

  /** Failures in a row since the start or the last {@link #reset()}. */
  public long failures() {
    return failures;
  }

  /** After a success: the next failure waits the initial delay again. */
  public void reset() {
    failures = 0;
  }

  /**
   * Continues a sequence saved before a restart: the next {@link #next()} waits as the retry after
   * {@code failuresSoFar + 1} failures would.
   *
   * @throws IllegalArgumentException If {@code failuresSoFar} is negative.
   */
  public void resume(long failuresSoFar) {
    if (failuresSoFar < 0) {
      throw new IllegalArgumentException("failures so far must not be negative, found " + failuresSoFar);
    }
    failures = failuresSoFar;
  }

  public BackoffPolicy policy() {
    return policy;
  }
}
