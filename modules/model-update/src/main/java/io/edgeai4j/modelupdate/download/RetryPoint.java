package io.edgeai4j.modelupdate.download;

import java.time.Instant;

/**
 * Where a download's retrying stands, saved so that a restart continues it: the attempts that failed so far (the
 * backoff continues from there) and when the next attempt was due (the rest of that wait is waited, at most
 * {@code download.maxBackoffMillis}).
 *
 * @param failures Attempts failed so far, at least 0.
 * @param nextAttemptAt When the next attempt is due, or null for at once.
 */
public record RetryPoint(long failures, Instant nextAttemptAt) {
  /** A download that has not failed yet. */
  public static final RetryPoint START = new RetryPoint(0, null);

  /** Validates. */
  public RetryPoint {
    if (failures < 0) {
      throw new IllegalArgumentException("failures must not be negative, found " + failures);
    }
  }
}
