package io.edgeai4j.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before each retry: {@code initial}, then multiplied by {@code multiplier} after every failure,
 * never more than {@code max}; each delay is then drawn uniformly from {@code [base × (1 − jitter), base]}, so that a
 * fleet of devices that lost the same link does not come back in step. Immutable and validated once; thread-safe.
 *
 * @param initial The delay before the first retry; positive.
 * @param max The longest delay; at least {@code initial}.
 * @param multiplier The growth per failure; at least 1.
 * @param jitter The share of each delay drawn at random, from 0 (none) to 1 (anything from 0 to the base).
 */
public record BackoffPolicy(Duration initial, Duration max, double multiplier, double jitter) {
  /** The default share of randomness: each delay lies between half and all of its base. */
  public static final double DEFAULT_JITTER = 0.5;

  /** @throws IllegalArgumentException Naming the value found and what was expected. */
  public BackoffPolicy {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("backoff initial delay must be positive, found " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max delay " + max + " is shorter than the initial delay " + initial);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be a finite number of at least 1, found "
          + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("backoff jitter must lie between 0 and 1, found " + jitter);
    }
  }

  /** Doubling from {@code initial} up to {@code max}, with the {@linkplain #DEFAULT_JITTER default jitter}. */
  public static BackoffPolicy exponential(Duration initial, Duration max) {
    return new BackoffPolicy(initial, max, 2, DEFAULT_JITTER);
  }

  /** The same policy with another jitter (0 for delays a test can predict). */
  public BackoffPolicy withJitter(double newJitter) {
    return new BackoffPolicy(initial, max, multiplier, newJitter);
  }

  /**
   * The delay before the retry that follows {@code failures} failures in a row (1 for the first retry), before
   * jitter: {@code initial × multiplier^(failures − 1)}, at most {@code max}. Pure, so a process that restarts
   * with the count of failures it saved waits as long as it would have.
   *
   * @throws IllegalArgumentException If {@code failures} is less than 1.
   */
  public Duration baseDelay(long failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("a retry follows at least 1 failure, found " + failures);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, Math.min(failures - 1, 1_000));
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }

  /**
   * The delay before the retry that follows {@code failures} failures in a row, with jitter.
   *
   * @param random A number in {@code [0, 1)}; how much of the jitter to take off the base.
   */
  public Duration delay(long failures, double random) {
    Duration base = baseDelay(failures);
    long off = (long) (base.toNanos() * jitter * random);
    return base.minusNanos(off);
  }

  /** A new sequence of delays following this policy (one per thing being retried; not thread-safe). */
  public Backoff start() {
    return new Backoff(this);
  }
}
