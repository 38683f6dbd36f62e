package io.edgeai4j.benchmarks.edgehub;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which client the senders and receivers of a load run use, and how the senders send. Names as given on the
 * command line ({@code --mode}).
 */
public enum LoadMode {
  /** The Azure IoT device SDK 2.5.0's {@code ModuleClient}, default {@code ClientOptions} (at most 10 messages
   *  per 10 ms per client), {@code sendEventAsync} with a window of unacknowledged messages. */
  SDK("sdk"),
  /** As {@link #SDK} with {@code messagesSentPerSendInterval} raised ({@code --sdk-messages-per-interval}) and
   *  {@code receiveInterval} as given ({@code --sdk-receive-interval}, default the SDK's 10 ms). */
  SDK_FAST("sdk-fast"),
  /** edgeai4j's {@code azure-iot-edge} transport (the SDK underneath), {@code send} one at a time. */
  AZURE_IOT_EDGE("azure-iot-edge"),
  /** edgeai4j's {@code edgehub-mqtt} transport, {@code send} one at a time (each waits for its PUBACK). */
  EDGEHUB_MQTT("edgehub-mqtt"),
  /** edgeai4j's {@code edgehub-mqtt} transport, {@code sendAsync} with a window of unacknowledged messages. */
  EDGEHUB_MQTT_ASYNC("edgehub-mqtt-async");

  private final String label;

  LoadMode(String label) {
    this.label = label;
  }

  /** The name on the command line and in reports. */
  public String label() {
    return label;
  }

  /** Whether the clients are the bare SDK's {@code ModuleClient}. */
  boolean bareSdk() {
    return this == SDK || this == SDK_FAST;
  }

  /** The {@code ModuleTransportProvider} name, for the transport modes. */
  String providerName() {
    return switch (this) {
      case AZURE_IOT_EDGE -> "azure-iot-edge";
      case EDGEHUB_MQTT, EDGEHUB_MQTT_ASYNC -> "edgehub-mqtt";
      default -> throw new IllegalStateException(label + " is not a transport mode");
    };
  }

  /**
   * Parses a label.
   *
   * @throws IllegalArgumentException Naming the value found and the labels expected.
   */
  public static LoadMode parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.label.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown load mode '" + text + "'; expected one of "
            + Arrays.stream(values()).map(LoadMode::label).toList()));
  }
}
