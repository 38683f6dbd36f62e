package io.edgeai4j.edgehub.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The MQTT server's settings. Immutable.
 *
 * @param address Where to listen; port 0 picks any.
 * @param messageAckTimeout How long an input waits for the module's PUBACK before it is abandoned (re-queued).
 * @param maxInflightPerModule How many inputs may wait for one module's PUBACK at once.
 * @param maxMessageBytes The largest PUBLISH payload accepted (edgeHub's {@code MaxInboundMessageSize}); a frame
 *     over this plus {@link #TOPIC_HEADROOM_BYTES} closes the connection.
 * @param connectTimeout How long a new connection may take to send CONNECT.
 * @param clock The clock against which a connection's SAS token expires (the connection is then closed).
 */
public record ServerSettings(InetSocketAddress address, Duration messageAckTimeout, int maxInflightPerModule,
    int maxMessageBytes, Duration connectTimeout, Clock clock) {
  /** edgeHub's {@code MaxInboundMessageSize}. */
  public static final int EDGE_HUB_MAX_MESSAGE_BYTES = 262_144;
  /** What a PUBLISH frame may hold beside the payload: the longest MQTT topic and the packet id. */
  public static final int TOPIC_HEADROOM_BYTES = 65_535 + 2 + 2;

  /** Validates the fields. */
  public ServerSettings {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(messageAckTimeout, "messageAckTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(clock, "clock");
    if (maxInflightPerModule < 1 || maxInflightPerModule > 65535) {
      throw new IllegalArgumentException("maxInflightPerModule must be 1 to 65535; found " + maxInflightPerModule);
    }
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive; found " + maxMessageBytes);
    }
  }

  /** The frame limit given to the MQTT decoder. */
  int maxFrameBytes() {
    return maxMessageBytes + TOPIC_HEADROOM_BYTES;
  }
}
