package io.edgeai4j.modelupdate.download;

import java.time.Instant;

/** Told about a download's attempts, on the downloading thread (so that they can be saved and reported). */
public interface RetryListener {
  /** Ignores the attempts. */
  RetryListener NONE = (failures, reason, error, nextAttemptAt) -> { };

  /**
   * An attempt is about to begin.
   *
   * @param failures The attempts of this download that failed so far (0 for the first).
   */
  default void attempting(long failures) {}

  /**
   * An attempt failed for a reason that may pass; the next one begins at {@code nextAttemptAt} (unless the download
   * is cancelled meanwhile).
   *
   * @param failures The attempts of this download that failed so far, this one included.
   * @param reason Why, for the metric.
   * @param error What went wrong, naming what was found and expected.
   * @param nextAttemptAt When the next attempt begins (UTC, by the downloader's clock).
   */
  void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt);
}
