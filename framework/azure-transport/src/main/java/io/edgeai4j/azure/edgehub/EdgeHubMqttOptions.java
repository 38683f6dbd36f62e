package io.edgeai4j.azure.edgehub;

import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of an {@link EdgeHubMqttTransport}. Immutable and thread-safe; made with {@link #builder()},
 * validated once in {@link Builder#build()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Bounds</th></tr>
 *   <tr><td>{@link #maxInflight()}</td><td>64</td><td>sends waiting for edgeHub's PUBACK at once; beyond it
 *       {@code sendAsync} blocks its caller until one completes (environment {@code EDGEAI4J_MQTT_MAX_INFLIGHT})</td></tr>
 *   <tr><td>{@link #sendTimeout()}</td><td>60 s</td><td>one {@code send}, and the future of one {@code sendAsync}</td></tr>
 *   <tr><td>{@link #twinTimeout()}</td><td>60 s</td><td>one twin GET or reported PATCH</td></tr>
 *   <tr><td>{@link #connectTimeout()}</td><td>60 s</td><td>one CONNECT and the SUBACK of the subscriptions</td></tr>
 *   <tr><td>{@link #openTimeout()}</td><td>30 min</td><td>how long {@code open} retries an unreachable edgeHub</td></tr>
 *   <tr><td>{@link #tokenTtl()}</td><td>1 h</td><td>lifetime of each SAS token; the transport reconnects with a
 *       new one after {@link #tokenRenewal()} of it (85 %)</td></tr>
 *   <tr><td>{@link #keepAlive()}</td><td>230 s</td><td>MQTT keep-alive, the SDK's default</td></tr>
 *   <tr><td>{@link #reconnectBackoff()}</td><td>100 ms doubling to 10 s, jitter 0.5</td><td>waits between
 *       reconnection attempts after the link is lost; retried for as long as the transport is open</td></tr>
 *   <tr><td>{@link #workloadApiTimeout()}</td><td>30 s</td><td>each read or write on the workload API's socket</td></tr>
 * </table>
 *
 * @param maxInflight Sends in flight at most.
 * @param sendTimeout Longest wait for one send's PUBACK.
 * @param twinTimeout Longest wait for one twin answer.
 * @param connectTimeout Longest wait for CONNACK and SUBACK.
 * @param openTimeout How long {@code open} keeps retrying.
 * @param tokenTtl SAS token lifetime.
 * @param tokenRenewal Share of the lifetime after which the transport reconnects with a new token.
 * @param keepAlive MQTT keep-alive.
 * @param reconnectBackoff Waits between reconnection attempts.
 * @param workloadApiTimeout Timeout of the workload API socket.
 */
public record EdgeHubMqttOptions(
    int maxInflight,
    Duration sendTimeout,
    Duration twinTimeout,
    Duration connectTimeout,
    Duration openTimeout,
    Duration tokenTtl,
    double tokenRenewal,
    Duration keepAlive,
    BackoffPolicy reconnectBackoff,
    Duration workloadApiTimeout) {
  /** Paho's limit on messages in flight (its packet ids). */
  static final int PAHO_MAX_INFLIGHT = 65_535;

  /** Validates every value; messages name the setting, the value found and what is expected. */
  public EdgeHubMqttOptions {
    if (maxInflight < 1 || maxInflight > PAHO_MAX_INFLIGHT - 64) {
      throw new IllegalArgumentException("maxInflight is " + maxInflight + ", expected 1 to "
          + (PAHO_MAX_INFLIGHT - 64));
    }
    positive("sendTimeout", sendTimeout);
    positive("twinTimeout", twinTimeout);
    positive("connectTimeout", connectTimeout);
    positive("openTimeout", openTimeout);
    positive("tokenTtl", tokenTtl);
    positive("workloadApiTimeout", workloadApiTimeout);
    if (connectTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("connectTimeout is " + connectTimeout + ", expected at least PT1S"
          + " (Paho counts it in whole seconds)");
    }
    if (tokenTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("tokenTtl is " + tokenTtl + ", expected at least PT2S (SAS expiry is in"
          + " whole seconds)");
    }
    if (!(tokenRenewal > 0 && tokenRenewal < 1)) {
      throw new IllegalArgumentException("tokenRenewal is " + tokenRenewal + ", expected a share between 0 and 1"
          + " (exclusive)");
    }
    positive("keepAlive", keepAlive);
    if (keepAlive.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("keepAlive is " + keepAlive + ", expected whole seconds");
    }
    Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
  }

  /** Returns the defaults in the class comment. */
  public static EdgeHubMqttOptions defaults() {
    return builder().build();
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxInflight = maxInflight;
    b.sendTimeout = sendTimeout;
    b.twinTimeout = twinTimeout;
    b.connectTimeout = connectTimeout;
    b.openTimeout = openTimeout;
    b.tokenTtl = tokenTtl;
    b.tokenRenewal = tokenRenewal;
    b.keepAlive = keepAlive;
    b.reconnectBackoff = reconnectBackoff;
    b.workloadApiTimeout = workloadApiTimeout;
    return b;
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " is " + value + ", expected a positive duration");
    }
  }

  /** Builds {@link EdgeHubMqttOptions}; starts from the defaults. Not thread-safe. */
  public static final class Builder {
    private int maxInflight = 64;
    private Duration sendTimeout = Duration.ofSeconds(60);
    private Duration twinTimeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(60);
    private Duration openTimeout = Duration.ofMinutes(30);
    private Duration tokenTtl = Duration.ofHours(1);
    private double tokenRenewal = 0.85;
    private Duration keepAlive = Duration.ofSeconds(230);
    private BackoffPolicy reconnectBackoff =
        BackoffPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(10));
    private Duration workloadApiTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Sets how many sends may wait for their PUBACK at once. */
    public Builder maxInflight(int value) {
      this.maxInflight = value;
      return this;
    }

    /** Sets the longest wait for one send's PUBACK. */
    public Builder sendTimeout(Duration value) {
      this.sendTimeout = value;
      return this;
    }

    /** Sets the longest wait for one twin answer. */
    public Builder twinTimeout(Duration value) {
      this.twinTimeout = value;
      return this;
    }

    /** Sets the longest wait for CONNACK and SUBACK (whole seconds). */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    /** Sets how long {@code open} retries an unreachable edgeHub. */
    public Builder openTimeout(Duration value) {
      this.openTimeout = value;
      return this;
    }

    /** Sets the SAS token lifetime. */
    public Builder tokenTtl(Duration value) {
      this.tokenTtl = value;
      return this;
    }

    /** Sets the share of a token's lifetime after which the transport reconnects with a new token. */
    public Builder tokenRenewal(double value) {
      this.tokenRenewal = value;
      return this;
    }

    /** Sets the MQTT keep-alive (whole seconds). */
    public Builder keepAlive(Duration value) {
      this.keepAlive = value;
      return this;
    }

    /** Sets the waits between reconnection attempts. */
    public Builder reconnectBackoff(BackoffPolicy value) {
      this.reconnectBackoff = value;
      return this;
    }

    /** Sets the timeout of each read or write on the workload API socket. */
    public Builder workloadApiTimeout(Duration value) {
      this.workloadApiTimeout = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException Naming the setting, the value found and what is expected.
     */
    public EdgeHubMqttOptions build() {
      return new EdgeHubMqttOptions(maxInflight, sendTimeout, twinTimeout, connectTimeout, openTimeout, tokenTtl,
          tokenRenewal, keepAlive, reconnectBackoff, workloadApiTimeout);
    }
  }
}
