package io.edgeai4j.edgehub;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EdgeHubEndpoint} serves and where it keeps its state. Immutable; built with {@link #builder()} and
 * validated once.
 */
public final class EndpointOptions {
  /** The port the Azure IoT device SDK always connects to over MQTT. */
  public static final int MQTT_PORT = 8883;
  /**
   * The default IoT Hub host name: no hub is contacted, but the SDK requires {@code {hubName}.{domain}} in a
   * connection string's HostName ({@code localhost} alone is refused).
   */
  public static final String DEFAULT_IOT_HUB_HOST_NAME = "edgeai4j.localhost";
  /** edgeHub's {@code MessageAckTimeoutSecs}. */
  public static final Duration DEFAULT_MESSAGE_ACK_TIMEOUT = Duration.ofSeconds(30);
  /** edgeHub's {@code MaxPendingInboundAcknowledgements}. */
  public static final int DEFAULT_MAX_INFLIGHT_PER_MODULE = 16;

  private final Path stateDirectory;
  private final InetSocketAddress mqttAddress;
  private final String gatewayHostName;
  private final List<String> extraServerNames;
  private final String iotHubHostName;
  private final InetSocketAddress workloadAddress;
  private final Duration messageAckTimeout;
  private final int maxInflightPerModule;
  private final Clock clock;

  private EndpointOptions(Builder b) {
    if (b.stateDirectory == null) {
      throw new IllegalArgumentException("stateDirectory is required: where pki/ and module-keys.json are kept");
    }
    this.stateDirectory = b.stateDirectory;
    this.mqttAddress = Objects.requireNonNull(b.mqttAddress, "mqttAddress");
    this.gatewayHostName = requireName(b.gatewayHostName, "gatewayHostName");
    this.extraServerNames = List.copyOf(b.extraServerNames);
    this.extraServerNames.forEach(n -> requireName(n, "extraServerNames"));
    this.iotHubHostName = requireName(b.iotHubHostName, "iotHubHostName");
    if (iotHubHostName.indexOf('.') <= 0) {
      throw new IllegalArgumentException("iotHubHostName must be {hubName}.{domain}, as the Azure IoT device SDK"
          + " refuses a connection string whose HostName has no '.'; found '" + iotHubHostName + "', expected e.g. "
          + DEFAULT_IOT_HUB_HOST_NAME);
    }
    this.workloadAddress = b.workloadAddress;
    if (b.messageAckTimeout == null || b.messageAckTimeout.isNegative() || b.messageAckTimeout.isZero()) {
      throw new IllegalArgumentException("messageAckTimeout must be positive; found " + b.messageAckTimeout);
    }
    this.messageAckTimeout = b.messageAckTimeout;
    if (b.maxInflightPerModule < 1 || b.maxInflightPerModule > 65535) {
      throw new IllegalArgumentException("maxInflightPerModule must be 1 to 65535 (MQTT packet ids); found "
          + b.maxInflightPerModule);
    }
    this.maxInflightPerModule = b.maxInflightPerModule;
    this.clock = Objects.requireNonNull(b.clock, "clock");
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(what + " must be a host name or IP literal without spaces; found '"
          + name + "'");
    }
    return name;
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where {@code pki/} and {@code module-keys.json} live. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The MQTT listen address; port 0 picks any. */
  public InetSocketAddress mqttAddress() {
    return mqttAddress;
  }

  /** The GatewayHostName modules connect to; a SAN of the server certificate. */
  public String gatewayHostName() {
    return gatewayHostName;
  }

  /** More names for the server certificate's SANs. */
  public List<String> extraServerNames() {
    return extraServerNames;
  }

  /** The HostName of connection strings and the host of SAS audiences. */
  public String iotHubHostName() {
    return iotHubHostName;
  }

  /** The workload API's listen address, or null when it is off. */
  public InetSocketAddress workloadAddress() {
    return workloadAddress;
  }

  /** How long an input waits for the module's PUBACK before it is abandoned (re-queued). */
  public Duration messageAckTimeout() {
    return messageAckTimeout;
  }

  /** How many inputs may wait for one module's PUBACK at once. */
  public int maxInflightPerModule() {
    return maxInflightPerModule;
  }

  /** The clock of token and certificate checks. */
  public Clock clock() {
    return clock;
  }

  /** Builds {@link EndpointOptions}. Not thread-safe. */
  public static final class Builder {
    private Path stateDirectory;
    private InetSocketAddress mqttAddress = new InetSocketAddress("127.0.0.1", MQTT_PORT);
    private String gatewayHostName = "localhost";
    private final List<String> extraServerNames = new ArrayList<>();
    private String iotHubHostName = DEFAULT_IOT_HUB_HOST_NAME;
    private InetSocketAddress workloadAddress = new InetSocketAddress("127.0.0.1", 0);
    private Duration messageAckTimeout = DEFAULT_MESSAGE_ACK_TIMEOUT;
    private int maxInflightPerModule = DEFAULT_MAX_INFLIGHT_PER_MODULE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Sets where {@code pki/} and {@code module-keys.json} live (required). */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = stateDirectory;
      return this;
    }

    /** Sets the MQTT listen address; default 127.0.0.1:8883, port 0 = any. */
    public Builder mqttAddress(InetSocketAddress mqttAddress) {
      this.mqttAddress = mqttAddress;
      return this;
    }

    /** Sets the GatewayHostName; default {@code localhost}. */
    public Builder gatewayHostName(String gatewayHostName) {
      this.gatewayHostName = gatewayHostName;
      return this;
    }

    /** Adds names to the server certificate's SANs. */
    public Builder extraServerNames(Collection<String> names) {
      this.extraServerNames.addAll(names);
      return this;
    }

    /** Sets the IoT Hub host name, {@code {hubName}.{domain}}; default {@value EndpointOptions#DEFAULT_IOT_HUB_HOST_NAME}. */
    public Builder iotHubHostName(String iotHubHostName) {
      this.iotHubHostName = iotHubHostName;
      return this;
    }

    /** Sets the workload API's address; default 127.0.0.1:0, null = no workload API. */
    public Builder workloadAddress(InetSocketAddress workloadAddress) {
      this.workloadAddress = workloadAddress;
      return this;
    }

    /** Sets how long an input waits for the module's PUBACK; default 30 s. */
    public Builder messageAckTimeout(Duration messageAckTimeout) {
      this.messageAckTimeout = messageAckTimeout;
      return this;
    }

    /** Sets how many inputs may wait for one module's PUBACK at once; default 16. */
    public Builder maxInflightPerModule(int maxInflightPerModule) {
      this.maxInflightPerModule = maxInflightPerModule;
      return this;
    }

    /** Sets the clock; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException If a value is out of range; the message names it and what was found.
     */
    public EndpointOptions build() {
      return new EndpointOptions(this);
    }
  }
}
