package io.edgeai4j.cli;

import io.edgeai4j.retry.BackoffPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The edgeHub-compatible MQTT endpoint's options of {@code edge run} and {@code edge demo} (a picocli mixin):
 * whether to serve it, where, under which names, where its state lives, and whether modules run as processes.
 */
public final class MqttOptions {
  /** The port the Azure IoT device SDK always connects to. */
  public static final int SDK_PORT = 8883;
  /**
   * The IoT hub host name of the local device's connection strings: never contacted, under the reserved
   * {@code .localhost} domain, and with a dot, which the Azure IoT SDK requires ({@code IotHubConnectionString}
   * refuses {@code HostName=localhost}).
   */
  public static final String DEFAULT_IOTHUB_HOST = "iothub.localhost";
  /** Every option of this mixin, for commands that refuse them. */
  static final java.util.List<String> NAMES = java.util.List.of("--mqtt", "--mqtt-address", "--mqtt-port",
      "--gateway-host", "--server-name", "--iothub-host", "--state-dir", "--no-store", "--modules-as-processes",
      "--restart-delay");
  /** The longest delay before a module process is restarted (edgeAgent's cool-off limit). */
  static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(5);

  @Option(names = "--mqtt", description = "Also serve MQTT 3.1.1 over TLS as edgeHub does (modules as separate"
      + " processes or containers connect with the unmodified Azure IoT SDK; edge module credentials <module> prints"
      + " what they need). This project's modules still run in-process unless --modules-as-processes.")
  boolean mqtt;

  @Option(names = "--mqtt-address", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address the MQTT endpoint listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for containers).")
  String address;

  @Option(names = "--mqtt-port", paramLabel = "N", defaultValue = "" + SDK_PORT,
      description = "Port of the MQTT endpoint (default: ${DEFAULT-VALUE}, the port the Azure IoT SDK always uses;"
          + " another port, or 0 for a free one, only serves clients that can be told: edgeai4j modules get it as"
          + " EDGEAI4J_MQTT_PORT).")
  int port;

  @Option(names = "--gateway-host", paramLabel = "NAME", defaultValue = "localhost",
      description = "GatewayHostName of the connection strings, also in the server certificate's names (default:"
          + " ${DEFAULT-VALUE}).")
  String gatewayHost;

  @Option(names = "--server-name", paramLabel = "NAME",
      description = "Another name (DNS name or IP address) for the server certificate, e.g. host.docker.internal."
          + " Repeatable.")
  List<String> serverNames = new ArrayList<>();

  @Option(names = "--iothub-host", paramLabel = "NAME", defaultValue = DEFAULT_IOTHUB_HOST,
      description = "HostName of the connection strings and of the SAS tokens' audience; never contacted (default:"
          + " ${DEFAULT-VALUE}: the Azure IoT SDK refuses a HostName without a dot, such as localhost).")
  String iotHubHost;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the device's state is kept: pki/ (edge CA and server certificate), module-keys.json and,"
          + " unless --no-store, store/ (the hub's queues on disk, so that messages not yet delivered when edge run"
          + " stops are delivered after it starts again). Default: .edgeai4j/<device-id> in the working directory."
          + " The store is used with --mqtt or an explicit --state-dir; without either, queues are in memory.")
  Path stateDirectory;

  @Option(names = "--no-store", description = "Keep the hub's queues in memory even with a state directory.")
  boolean noStore;

  @Option(names = "--modules-as-processes", description = "Run every module edgeai4j provides as its own process"
      + " (java ... io.edgeai4j.module.host.EdgeModuleMain <image id>) connected over MQTT, restarted as its"
      + " restartPolicy says; implies --mqtt.")
  boolean modulesAsProcesses;

  @Option(names = "--restart-delay", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "10s", description = "Delay before a module process that exited is started again (default:"
          + " ${DEFAULT-VALUE}, edgeAgent's cool-off unit); doubled after each restart in a row up to 5 minutes;"
          + " after 20 restarts in a row the module is left stopped, as edgeAgent's MaxRestartCount; the count starts"
          + " again once a process has run 10 minutes. Only restartPolicy always restarts, as on edgeAgent.")
  Duration restartDelay;

  /** Whether the endpoint is served ({@code --mqtt}, or implied by {@code --modules-as-processes}). */
  public boolean enabled() {
    return mqtt || modulesAsProcesses;
  }

  /** Whether modules run as processes. */
  public boolean modulesAsProcesses() {
    return modulesAsProcesses;
  }

  /** The device's state directory. */
  public StateDirectory stateDirectory(String deviceId) {
    return StateDirectory.of(stateDirectory, deviceId);
  }

  /** The hub's store, or null for queues in memory. */
  public Path storeDirectory(String deviceId) {
    return !noStore && (enabled() || stateDirectory != null) ? stateDirectory(deviceId).store() : null;
  }

  /** The delays between restarts of a module process. */
  public BackoffPolicy restartBackoff() {
    // No jitter: edgeAgent's cool-off is min(unit × 2^n, 300 s) exactly.
    return BackoffPolicy.exponential(restartDelay, MAX_RESTART_DELAY.compareTo(restartDelay) < 0 ? restartDelay
        : MAX_RESTART_DELAY).withJitter(0);
  }
}
