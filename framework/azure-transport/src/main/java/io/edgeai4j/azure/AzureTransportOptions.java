package io.edgeai4j.azure;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and the reconnection policy of an {@link AzureModuleTransport}. Immutable and thread-safe;
 * create one with {@link #builder()}, which validates every value in {@link Builder#build()}.
 *
 * <p>Defaults and what they bound:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Bounds</th></tr>
 *   <tr><td>{@link #sendTimeout()}</td><td>60 s</td>
 *       <td>one {@code send}: waiting for edgeHub's PUBACK. The message also expires in the SDK's queue after
 *       this long, so a send the caller saw fail is never delivered later.</td></tr>
 *   <tr><td>{@link #twinTimeout()}</td><td>60 s</td>
 *       <td>one {@code getTwin} or {@code updateReportedProperties}, all attempts together.</td></tr>
 *   <tr><td>{@link #twinAttemptTimeout()}</td><td>10 s</td>
 *       <td>one attempt of a twin operation. The SDK 2.5.0 sometimes loses edgeHub's answer to a twin request
 *       (a race between its MQTT and receive threads, azure-iot-sdk-java#1803), so an attempt that gets no
 *       answer in this time is asked again, until {@link #twinTimeout()}. Both operations are idempotent.</td></tr>
 *   <tr><td>{@link #subscribeTimeout()}</td><td>60 s</td>
 *       <td>each of the two subscriptions (direct methods, desired properties) made by {@code open}.</td></tr>
 *   <tr><td>{@link #reconnectTimeout()}</td><td>30 min</td>
 *       <td>the SDK's operation timeout: how long {@code open} keeps trying to reach edgeHub, and how long the
 *       SDK keeps reconnecting after losing it, before giving up with {@code DISCONNECTED}
 *       ({@code RETRY_EXPIRED}). Long enough to ride out an edgeHub restart or image update.</td></tr>
 *   <tr><td>{@link #minBackoff()}, {@link #maxBackoff()}, {@link #deltaBackoff()}</td>
 *       <td>100 ms, 10 s, 100 ms</td>
 *       <td>the SDK's {@code ExponentialBackoffWithJitter}: the n-th retry waits
 *       {@code min(minBackoff + (2^n - 1) * rand(0.8, 1.2) * deltaBackoff, maxBackoff)} (n counted from 0,
 *       and n = 0 is immediate), so about 0 ms, 200 ms, 400 ms, 800 ms, 1.6 s, 3.2 s, 6.4 s, then 10 s for
 *       every later attempt. The retry count is unbounded; {@link #reconnectTimeout()} ends the retries.</td></tr>
 *   <tr><td>{@link #keepAlive()}</td><td>230 s</td>
 *       <td>the MQTT keep-alive interval (the SDK's default, under edgeHub's and Azure's idle timeouts).</td></tr>
 *   <tr><td>{@link #workloadApiTimeout()}</td><td>30 s</td>
 *       <td>each read or write on the IoT Edge workload API socket (token signing, trust bundle).</td></tr>
 * </table>
 */
public final class AzureTransportOptions {
  private static final Duration MAX_INT_MILLIS = Duration.ofMillis(Integer.MAX_VALUE);
  private static final AzureTransportOptions DEFAULTS = builder().build();

  private final Duration sendTimeout;
  private final Duration twinTimeout;
  private final Duration twinAttemptTimeout;
  private final Duration subscribeTimeout;
  private final Duration reconnectTimeout;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration deltaBackoff;
  private final Duration keepAlive;
  private final Duration workloadApiTimeout;

  private AzureTransportOptions(Builder b) {
    this.sendTimeout = b.sendTimeout;
    this.twinTimeout = b.twinTimeout;
    this.twinAttemptTimeout = b.twinAttemptTimeout;
    this.subscribeTimeout = b.subscribeTimeout;
    this.reconnectTimeout = b.reconnectTimeout;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.deltaBackoff = b.deltaBackoff;
    this.keepAlive = b.keepAlive;
    this.workloadApiTimeout = b.workloadApiTimeout;
  }

  /** Returns the defaults described in the class comment. */
  public static AzureTransportOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder()
        .sendTimeout(sendTimeout)
        .twinTimeout(twinTimeout)
        .twinAttemptTimeout(twinAttemptTimeout)
        .subscribeTimeout(subscribeTimeout)
        .reconnectTimeout(reconnectTimeout)
        .minBackoff(minBackoff)
        .maxBackoff(maxBackoff)
        .deltaBackoff(deltaBackoff)
        .keepAlive(keepAlive)
        .workloadApiTimeout(workloadApiTimeout);
  }

  /** Returns how long one send waits for edgeHub's acknowledgement; also the message's expiry. */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Returns how long one twin read or reported-properties update waits for edgeHub's answer, in all. */
  public Duration twinTimeout() {
    return twinTimeout;
  }

  /** Returns how long one attempt of a twin operation waits before the request is sent again. */
  public Duration twinAttemptTimeout() {
    return twinAttemptTimeout;
  }

  /** Returns how long {@code open} waits for each subscription to be acknowledged. */
  public Duration subscribeTimeout() {
    return subscribeTimeout;
  }

  /** Returns how long the SDK keeps trying to connect or reconnect before reporting {@code DISCONNECTED}. */
  public Duration reconnectTimeout() {
    return reconnectTimeout;
  }

  /** Returns the smallest wait between two connection attempts (after the immediate first retry). */
  public Duration minBackoff() {
    return minBackoff;
  }

  /** Returns the largest wait between two connection attempts. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Returns the step that grows the wait exponentially, jittered by +/- 20 %. */
  public Duration deltaBackoff() {
    return deltaBackoff;
  }

  /** Returns the MQTT keep-alive interval. */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** Returns the timeout of each read or write on the IoT Edge workload API socket. */
  public Duration workloadApiTimeout() {
    return workloadApiTimeout;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AzureTransportOptions)) {
      return false;
    }
    AzureTransportOptions that = (AzureTransportOptions) o;
    return sendTimeout.equals(that.sendTimeout)
        && twinTimeout.equals(that.twinTimeout)
        && twinAttemptTimeout.equals(that.twinAttemptTimeout)
        && subscribeTimeout.equals(that.subscribeTimeout)
        && reconnectTimeout.equals(that.reconnectTimeout)
        && minBackoff.equals(that.minBackoff)
        && maxBackoff.equals(that.maxBackoff)
        && deltaBackoff.equals(that.deltaBackoff)
        && keepAlive.equals(that.keepAlive)
        && workloadApiTimeout.equals(that.workloadApiTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sendTimeout, twinTimeout, twinAttemptTimeout, subscribeTimeout, reconnectTimeout, minBackoff, maxBackoff,
        deltaBackoff, keepAlive, workloadApiTimeout);
  }

  @Override
  public String toString() {
    return "AzureTransportOptions{sendTimeout=" + sendTimeout + ", twinTimeout=" + twinTimeout
        + ", twinAttemptTimeout=" + twinAttemptTimeout
        + ", subscribeTimeout=" + subscribeTimeout + ", reconnectTimeout=" + reconnectTimeout
        + ", minBackoff=" + minBackoff + ", maxBackoff=" + maxBackoff + ", deltaBackoff=" + deltaBackoff
        + ", keepAlive=" + keepAlive + ", workloadApiTimeout=" + workloadApiTimeout + '}';
  }

  /** Builds {@link AzureTransportOptions}; starts from the defaults. Not thread-safe. */
  public static final class Builder {
    private Duration sendTimeout = Duration.ofSeconds(60);
    private Duration twinTimeout = Duration.ofSeconds(60);
    private Duration twinAttemptTimeout = Duration.ofSeconds(10);
    private Duration subscribeTimeout = Duration.ofSeconds(60);
    private Duration reconnectTimeout = Duration.ofMinutes(30);
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration deltaBackoff = Duration.ofMillis(100);
    private Duration keepAlive = Duration.ofSeconds(230);
    private Duration workloadApiTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Sets how long one send waits for edgeHub's acknowledgement (1 ms to ~24 days). */
    public Builder sendTimeout(Duration value) {
      this.sendTimeout = Objects.requireNonNull(value, "sendTimeout");
      return this;
    }

    /** Sets how long one twin operation waits for edgeHub's answer (1 ms to ~24 days). */
    public Builder twinTimeout(Duration value) {
      this.twinTimeout = Objects.requireNonNull(value, "twinTimeout");
      return this;
    }

    /** Sets how long one attempt of a twin operation waits (1 ms up to {@code twinTimeout}). */
    public Builder twinAttemptTimeout(Duration value) {
      this.twinAttemptTimeout = Objects.requireNonNull(value, "twinAttemptTimeout");
      return this;
    }

    /** Sets how long {@code open} waits for each subscription (1 ms to ~24 days). */
    public Builder subscribeTimeout(Duration value) {
      this.subscribeTimeout = Objects.requireNonNull(value, "subscribeTimeout");
      return this;
    }

    /** Sets how long the SDK keeps trying to connect or reconnect (at least 1 s). */
    public Builder reconnectTimeout(Duration value) {
      this.reconnectTimeout = Objects.requireNonNull(value, "reconnectTimeout");
      return this;
    }

    /** Sets the smallest wait between connection attempts (0 or more, at most {@code maxBackoff}). */
    public Builder minBackoff(Duration value) {
      this.minBackoff = Objects.requireNonNull(value, "minBackoff");
      return this;
    }

    /** Sets the largest wait between connection attempts (at least {@code minBackoff}). */
    public Builder maxBackoff(Duration value) {
      this.maxBackoff = Objects.requireNonNull(value, "maxBackoff");
      return this;
    }

    /** Sets the exponential step of the wait between connection attempts (10 ms or more). */
    public Builder deltaBackoff(Duration value) {
      this.deltaBackoff = Objects.requireNonNull(value, "deltaBackoff");
      return this;
    }

    /** Sets the MQTT keep-alive interval (whole seconds, 1 s or more). */
    public Builder keepAlive(Duration value) {
      this.keepAlive = Objects.requireNonNull(value, "keepAlive");
      return this;
    }

    /** Sets the timeout of each read or write on the workload API socket (1 ms to ~24 days). */
    public Builder workloadApiTimeout(Duration value) {
      this.workloadApiTimeout = Objects.requireNonNull(value, "workloadApiTimeout");
      return this;
    }

    /**
     * Validates the values and builds the options.
     *
     * @throws IllegalArgumentException If a value is out of range; the message names it, the value found
     *     and the range expected.
     */
    public AzureTransportOptions build() {
      requireMillisRange("sendTimeout", sendTimeout);
      requireMillisRange("twinTimeout", twinTimeout);
      requireMillisRange("twinAttemptTimeout", twinAttemptTimeout);
      if (twinAttemptTimeout.compareTo(twinTimeout) > 0) {
        throw new IllegalArgumentException("twinAttemptTimeout is " + twinAttemptTimeout + ", expected at most"
            + " twinTimeout (" + twinTimeout + ")");
      }
      requireMillisRange("subscribeTimeout", subscribeTimeout);
      requireMillisRange("workloadApiTimeout", workloadApiTimeout);
      if (reconnectTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("reconnectTimeout is " + reconnectTimeout + ", expected at least PT1S");
      }
      if (minBackoff.isNegative()) {
        throw new IllegalArgumentException("minBackoff is " + minBackoff + ", expected 0 or more");
      }
      if (maxBackoff.compareTo(minBackoff) < 0 || maxBackoff.compareTo(MAX_INT_MILLIS) > 0) {
        throw new IllegalArgumentException("maxBackoff is " + maxBackoff + ", expected between minBackoff ("
            + minBackoff + ") and " + MAX_INT_MILLIS);
      }
      // The SDK draws the jitter with nextInt(1.2 * delta - 0.8 * delta), which needs a positive bound.
      if (deltaBackoff.compareTo(Duration.ofMillis(10)) < 0 || deltaBackoff.compareTo(MAX_INT_MILLIS) > 0) {
        throw new IllegalArgumentException("deltaBackoff is " + deltaBackoff + ", expected between PT0.01S and "
            + MAX_INT_MILLIS);
      }
      if (keepAlive.compareTo(Duration.ofSeconds(1)) < 0 || keepAlive.toMillis() % 1000 != 0
          || keepAlive.getSeconds() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("keepAlive is " + keepAlive + ", expected whole seconds, at least PT1S");
      }
      return new AzureTransportOptions(this);
    }

    private static void requireMillisRange(String name, Duration value) {
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(MAX_INT_MILLIS) > 0) {
        throw new IllegalArgumentException(name + " is " + value + ", expected between PT0.001S and "
            + MAX_INT_MILLIS);
      }
    }
  }
}
