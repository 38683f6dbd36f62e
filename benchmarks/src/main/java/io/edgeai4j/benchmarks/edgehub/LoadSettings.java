package io.edgeai4j.benchmarks.edgehub;

import java.time.Duration;
import java.util.Objects;

/**
 * One load run: {@code pairs} sender modules, each routed to its own receiver module, each sender sending
 * {@code messages} messages of {@code payloadBytes} bytes. Validated on construction.
 *
 * @param mode The clients and the way they send.
 * @param pairs Sender/receiver pairs (N), 1 to 64.
 * @param messages Messages per sender (M), at least 1.
 * @param payloadBytes Body size, 32 to 65536 bytes (the id and send time take the first bytes).
 * @param window Most unacknowledged sends per sender in the asynchronous modes, at least 1.
 * @param sdkMessagesPerInterval {@code ClientOptions.messagesSentPerSendInterval} of {@link LoadMode#SDK_FAST}.
 * @param sdkReceiveIntervalMillis {@code ClientOptions.receiveInterval} of {@link LoadMode#SDK_FAST} (the SDK's
 *     default is 10 ms).
 * @param idleTimeout How long the run waits without a message arriving before it gives up and counts the rest as
 *     lost.
 */
public record LoadSettings(LoadMode mode, int pairs, int messages, int payloadBytes, int window,
    int sdkMessagesPerInterval, int sdkReceiveIntervalMillis, Duration idleTimeout) {

  /** Validates the values. @throws IllegalArgumentException Naming the value and its range. */
  public LoadSettings {
    Objects.requireNonNull(mode, "mode");
    requireRange("pairs", pairs, 1, 64);
    requireRange("messages", messages, 1, Integer.MAX_VALUE);
    requireRange("payloadBytes", payloadBytes, 32, 65536);
    requireRange("window", window, 1, 65_000);
    requireRange("sdkMessagesPerInterval", sdkMessagesPerInterval, 1, 100_000);
    requireRange("sdkReceiveIntervalMillis", sdkReceiveIntervalMillis, 1, 10_000);
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, found " + idleTimeout);
    }
  }

  /** The same run with another mode. */
  public LoadSettings withMode(LoadMode other) {
    return new LoadSettings(other, pairs, messages, payloadBytes, window, sdkMessagesPerInterval,
        sdkReceiveIntervalMillis, idleTimeout);
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], found " + value);
    }
  }
}
