package io.edgeai4j.runtime.link;

import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How an {@link EmulatedLink} behaves beyond its {@link LinkSpec}. Build with {@link #builder()}; validated once.
 *
 * @param minRetransmissionTimeout The least time a lost transmission waits before it is sent again; the timeout is
 *     {@code max(minRetransmissionTimeout, 2 × latency + serialization time)} (TCP's lower bound is 200 ms on
 *     Linux, {@code TCP_RTO_MIN}).
 * @param maxQueuedBytes The most bytes the link holds (sent or waiting to be sent) before it refuses more; a refused
 *     message stays in the child's {@code $upstream} store, which keeps it with its TTL as edgeHub does. One message
 *     is always taken when the link holds none, whatever its size.
 * @param random Draws the losses; seed it for repeatable tests. Used under the link's lock only.
 * @param receiverRetry The backoff between attempts to hand a message to the parent's hub while it refuses it
 *     (store full); the messages behind it wait, in order.
 * @param closeDrainTimeout How long {@link EmulatedLink#close()} waits for the messages on the link to arrive.
 */
public record LinkOptions(Duration minRetransmissionTimeout, long maxQueuedBytes, Random random,
    BackoffPolicy receiverRetry, Duration closeDrainTimeout) {

  /** The default {@link #maxQueuedBytes()}: 16 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;

  /** @throws IllegalArgumentException Naming the value found and what was expected. */
  public LinkOptions {
    if (minRetransmissionTimeout == null || minRetransmissionTimeout.isNegative()
        || minRetransmissionTimeout.isZero()) {
      throw new IllegalArgumentException("minRetransmissionTimeout must be positive, found " + minRetransmissionTimeout);
    }
    if (maxQueuedBytes <= 0) {
      throw new IllegalArgumentException("maxQueuedBytes must be positive, found " + maxQueuedBytes);
    }
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(receiverRetry, "receiverRetry");
    if (closeDrainTimeout == null || closeDrainTimeout.isNegative()) {
      throw new IllegalArgumentException("closeDrainTimeout must not be negative, found " + closeDrainTimeout);
    }
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LinkOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration minRetransmissionTimeout = Duration.ofMillis(200);
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private Long seed;
    private BackoffPolicy receiverRetry = BackoffPolicy.exponential(Duration.ofMillis(10), Duration.ofSeconds(1));
    private Duration closeDrainTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** Sets the least retransmission timeout; default 200 ms. */
    public Builder minRetransmissionTimeout(Duration timeout) {
      this.minRetransmissionTimeout = timeout;
      return this;
    }

    /** Sets the most bytes the link holds; default {@link #DEFAULT_MAX_QUEUED_BYTES}. */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      this.maxQueuedBytes = maxQueuedBytes;
      return this;
    }

    /** Draws losses from a {@link Random} with this seed; default an unseeded one. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the backoff while the parent's hub refuses a message; default 10 ms doubling to 1 s. */
    public Builder receiverRetry(BackoffPolicy receiverRetry) {
      this.receiverRetry = receiverRetry;
      return this;
    }

    /** Sets how long closing waits for messages on the link; default 5 s. */
    public Builder closeDrainTimeout(Duration closeDrainTimeout) {
      this.closeDrainTimeout = closeDrainTimeout;
      return this;
    }

    /** Validates and builds; each call gets its own {@link Random}. */
    public LinkOptions build() {
      return new LinkOptions(minRetransmissionTimeout, maxQueuedBytes, seed == null ? new Random() : new Random(seed),
          receiverRetry, closeDrainTimeout);
    }
  }
}
