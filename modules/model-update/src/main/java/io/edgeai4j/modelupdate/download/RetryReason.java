package io.edgeai4j.modelupdate.download;

/**
 * Why a download attempt failed for a reason that may pass, so that the download is retried (forever, with
 * backoff) rather than failed; the {@code reason} label of the retries metric.
 */
public enum RetryReason {
  /** The connection was refused, reset or could not be made (a server that is down, a link that is gone). */
  CONNECTION("connection"),
  /** No connection, no response headers or no body bytes within {@code download.timeoutMillis}. */
  TIMEOUT("timeout"),
  /** HTTP 5xx. */
  SERVER_ERROR("status_5xx"),
  /** HTTP 408 Request Timeout. */
  REQUEST_TIMEOUT("status_408"),
  /** HTTP 429 Too Many Requests. */
  TOO_MANY_REQUESTS("status_429"),
  /** Another status that is neither success nor a client error (1xx, an unfollowed 3xx, a 2xx other than 200/206). */
  OTHER_STATUS("status_other"),
  /** The body ended before the package's size. */
  CUT("cut"),
  /** A 416, or a 206 for another range than asked: the part is dropped or kept and the next attempt asks again. */
  RANGE("range"),
  /**
   * Too little free space for the rest of the package and its unpacked copy, or a write that found the disk full
   * (ENOSPC, EDQUOT): on a fleet, room is made (old versions pruned, logs rotated), so it is retried and reported.
   */
  DISK_FULL("disk_full");

  private final String label;

  RetryReason(String label) {
    this.label = label;
  }

  /** The metric label. */
  public String label() {
    return label;
  }
}
