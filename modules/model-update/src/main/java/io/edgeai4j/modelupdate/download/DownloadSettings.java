package io.edgeai4j.modelupdate.download;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;

/**
 * How packages are downloaded: desired property {@code download}. Immutable; validated once here.
 *
 * <p>A download that fails for a reason that may pass (connection, timeout, HTTP 5xx, 408, 429, a full disk) is
 * retried for as long as the release is desired, waiting {@link #backoff()} between attempts; there is no limit on
 * the number of attempts (the former {@code download.retries} is gone: a twin that still sets it gets a warning).
 *
 * @param maxPackageBytes The largest package accepted, bytes: 1 to 16 GiB, default 512 MiB.
 * @param initialBackoff The wait before the first retry, doubled after each failed attempt: 1 ms to 10 min,
 *     default 1 s.
 * @param maxBackoff The longest wait between attempts (also the cap on a server's {@code Retry-After}), at least
 *     {@code initialBackoff}, at most 1 h, default 5 min.
 * @param timeout Connecting, waiting for the response headers, and the longest pause between two body reads:
 *     100 ms to 1 h, default 30 s.
 * @param progressInterval The least time between two progress reports of a download (each is a twin write):
 *     100 ms to 1 h, default 5 s.
 */
public record DownloadSettings(long maxPackageBytes, Duration initialBackoff, Duration maxBackoff,
    Duration timeout, Duration progressInterval) {
  /** The default limit on a package's size: 512 MiB. */
  public static final long DEFAULT_MAX_PACKAGE_BYTES = 512L * 1024 * 1024;
  /** The default wait before the first retry. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  /** The default longest wait between two attempts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  /** The settings when desired property {@code download} is absent. */
  public static final DownloadSettings DEFAULT = of(null, null, null, null, null);

  private static final long MAX_PACKAGE_BYTES_LIMIT = 16L * 1024 * 1024 * 1024;

  /** Binds from the twin; an absent field takes its default. */
  @JsonCreator
  public static DownloadSettings of(@JsonProperty("maxPackageBytes") Long maxPackageBytes,
      @JsonProperty("initialBackoffMillis") Long initialBackoffMillis,
      @JsonProperty("maxBackoffMillis") Long maxBackoffMillis,
      @JsonProperty("timeoutMillis") Long timeoutMillis,
      @JsonProperty("progressIntervalMillis") Long progressIntervalMillis) {
    return new DownloadSettings(maxPackageBytes == null ? DEFAULT_MAX_PACKAGE_BYTES : maxPackageBytes,
        initialBackoffMillis == null ? DEFAULT_INITIAL_BACKOFF : Duration.ofMillis(initialBackoffMillis),
        maxBackoffMillis == null ? DEFAULT_MAX_BACKOFF : Duration.ofMillis(maxBackoffMillis),
        Duration.ofMillis(timeoutMillis == null ? 30_000 : timeoutMillis),
        Duration.ofMillis(progressIntervalMillis == null ? 5_000 : progressIntervalMillis));
  }

  /** The settings with the default progress interval (5 s). */
  public static DownloadSettings of(Long maxPackageBytes, Long initialBackoffMillis, Long maxBackoffMillis,
      Long timeoutMillis) {
    return of(maxPackageBytes, initialBackoffMillis, maxBackoffMillis, timeoutMillis, null);
  }

  /** Validates the ranges. */
  public DownloadSettings {
    if (maxPackageBytes < 1 || maxPackageBytes > MAX_PACKAGE_BYTES_LIMIT) {
      throw new IllegalArgumentException("download.maxPackageBytes: expected 1 to " + MAX_PACKAGE_BYTES_LIMIT
          + ", found " + maxPackageBytes);
    }
    requireRange("download.initialBackoffMillis", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(10));
    requireRange("download.maxBackoffMillis", maxBackoff, initialBackoff, Duration.ofHours(1));
    requireRange("download.timeoutMillis", timeout, Duration.ofMillis(100), Duration.ofHours(1));
    requireRange("download.progressIntervalMillis", progressInterval, Duration.ofMillis(100), Duration.ofHours(1));
  }

  /**
   * The waits between attempts: {@code initialBackoff} doubled after each failed attempt, at most
   * {@code maxBackoff}, each drawn from its upper half ({@link BackoffPolicy#DEFAULT_JITTER}) so that a fleet that
   * lost the same server does not come back in step.
   */
  public BackoffPolicy backoff() {
    return BackoffPolicy.exponential(initialBackoff, maxBackoff);
  }

  private static void requireRange(String path, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(path + ": expected " + min.toMillis() + " to " + max.toMillis()
          + ", found " + value.toMillis());
    }
  }
}
