package io.edgeai4j.modelupdate.download;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How packages are downloaded: desired property {@code download}. Immutable; validated once here.
 *
 * @param maxPackageBytes The largest package accepted, bytes: 1 to 16 GiB, default 512 MiB.
 * @param retries Attempts after the first one, 0 to 100, default 5.
 * @param initialBackoff The wait before the first retry, doubled after each failed attempt: 1 ms to 10 min,
 *     default 500 ms.
 * @param maxBackoff The longest wait between attempts, at least {@code initialBackoff}, at most 1 h, default 30 s.
 * @param timeout Connecting, waiting for the response headers, and the longest pause between two body reads:
 *     100 ms to 1 h, default 30 s.
 * @param progressInterval The least time between two progress reports of a download (each is a twin write):
 *     100 ms to 1 h, default 5 s.
 */
public record DownloadSettings(long maxPackageBytes, int retries, Duration initialBackoff, Duration maxBackoff,
    Duration timeout, Duration progressInterval) {
  /** The default limit on a package's size: 512 MiB. */
  public static final long DEFAULT_MAX_PACKAGE_BYTES = 512L * 1024 * 1024;
  /** The settings when desired property {@code download} is absent. */
  public static final DownloadSettings DEFAULT = of(null, null, null, null, null, null);

  private static final long MAX_PACKAGE_BYTES_LIMIT = 16L * 1024 * 1024 * 1024;

  /** Binds from the twin; an absent field takes its default. */
  @JsonCreator
  public static DownloadSettings of(@JsonProperty("maxPackageBytes") Long maxPackageBytes,
      @JsonProperty("retries") Integer retries,
      @JsonProperty("initialBackoffMillis") Long initialBackoffMillis,
      @JsonProperty("maxBackoffMillis") Long maxBackoffMillis,
      @JsonProperty("timeoutMillis") Long timeoutMillis,
      @JsonProperty("progressIntervalMillis") Long progressIntervalMillis) {
    return new DownloadSettings(maxPackageBytes == null ? DEFAULT_MAX_PACKAGE_BYTES : maxPackageBytes,
        retries == null ? 5 : retries,
        Duration.ofMillis(initialBackoffMillis == null ? 500 : initialBackoffMillis),
        Duration.ofMillis(maxBackoffMillis == null ? 30_000 : maxBackoffMillis),
        Duration.ofMillis(timeoutMillis == null ? 30_000 : timeoutMillis),
        Duration.ofMillis(progressIntervalMillis == null ? 5_000 : progressIntervalMillis));
  }

  /** The settings with the default progress interval (5 s). */
  public static DownloadSettings of(Long maxPackageBytes, Integer retries, Long initialBackoffMillis,
      Long maxBackoffMillis, Long timeoutMillis) {
    return of(maxPackageBytes, retries, initialBackoffMillis, maxBackoffMillis, timeoutMillis, null);
  }

  /** Validates the ranges. */
  public DownloadSettings {
    if (maxPackageBytes < 1 || maxPackageBytes > MAX_PACKAGE_BYTES_LIMIT) {
      throw new IllegalArgumentException("download.maxPackageBytes: expected 1 to " + MAX_PACKAGE_BYTES_LIMIT
          + ", found " + maxPackageBytes);
    }
    if (retries < 0 || retries > 100) {
      throw new IllegalArgumentException("download.retries: expected 0 to 100, found " + retries);
    }
    requireRange("download.initialBackoffMillis", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(10));
    requireRange("download.maxBackoffMillis", maxBackoff, initialBackoff, Duration.ofHours(1));
    requireRange("download.timeoutMillis", timeout, Duration.ofMillis(100), Duration.ofHours(1));
    requireRange("download.progressIntervalMillis", progressInterval, Duration.ofMillis(100), Duration.ofHours(1));
  }

  /** The wait before retry {@code retry} (1 for the first): the initial backoff doubled, capped. */
  public Duration backoff(int retry) {
    Duration d = initialBackoff;
    for (int i = 1; i < retry && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private static void requireRange(String path, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(path + ": expected " + min.toMillis() + " to " + max.toMillis()
          + ", found " + value.toMillis());
    }
  }
}
