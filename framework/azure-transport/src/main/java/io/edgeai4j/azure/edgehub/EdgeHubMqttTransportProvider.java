package io.edgeai4j.azure.edgehub;

import static io.edgeai4j.azure.EdgeEnvironment.value;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import com.microsoft.azure.sdk.iot.device.hsm.HttpHsmSignatureProvider;
import com.microsoft.azure.sdk.iot.device.hsm.HttpsHsmClient;
import com.microsoft.azure.sdk.iot.device.hsm.parser.TrustBundleResponse;
import io.edgeai4j.azure.EdgeEnvironment;
import io.edgeai4j.azure.JdkUnixDomainSocketChannel;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Creates {@link EdgeHubMqttTransport}s; registered as {@value #NAME} in
 * {@code META-INF/services/io.edgeai4j.module.spi.ModuleTransportProvider}, with priority {@value #PRIORITY}
 * (above the SDK's {@code azure-iot-edge}), so it is the default for edgeai4j modules;
 * {@code EDGEAI4J_TRANSPORT=azure-iot-edge} chooses the SDK instead.
 *
 * <p>It reads the same environment as {@code azure-iot-edge}, from the map given (not from the process), in this
 * order:
 *
 * <ol>
 *   <li>{@code EdgeHubConnectionString} ({@code HostName}, {@code GatewayHostName}, {@code DeviceId},
 *       {@code ModuleId}, {@code SharedAccessKey}) and {@code EdgeModuleCACertificateFile}: tokens signed with the key.
 *   <li>The IoT Edge runtime's {@code IOTEDGE_WORKLOADURI} ({@code unix://}, {@code http://} or {@code https://}),
 *       {@code IOTEDGE_DEVICEID}, {@code IOTEDGE_MODULEID}, {@code IOTEDGE_MODULEGENERATIONID},
 *       {@code IOTEDGE_IOTHUBHOSTNAME}, {@code IOTEDGE_GATEWAYHOSTNAME}, {@code IOTEDGE_AUTHSCHEME=sasToken}: tokens
 *       signed by the workload API ({@code /modules/{m}/genid/{g}/sign}), trust from its {@code /trust-bundle}.
 * </ol>
 *
 * <p>Optional: {@value #PORT} (edgeHub's MQTT port, default 8883, the port of edgeHub and of the SDK; another
 * value reaches a local endpoint on another port) and {@value #MAX_INFLIGHT} (sends in flight, default 64).
 * Immutable and thread-safe; nothing is connected and no file or socket is read until {@link #create(Map)}.
 */
public final class EdgeHubMqttTransportProvider implements ModuleTransportProvider {
  /** The provider's name. */
  public static final String NAME = "edgehub-mqtt";
  /** Its priority: above the SDK transport's (0). */
  public static final int PRIORITY = 10;
  /** The module connection string. */
  public static final String EDGE_HUB_CONNECTION_STRING = EdgeEnvironment.EDGE_HUB_CONNECTION_STRING;
  /** The PEM file of the CA that signed edgeHub's server certificate. */
  public static final String CA_CERTIFICATE_FILE = EdgeEnvironment.CA_CERTIFICATE_FILE;
  /** edgeHub's MQTT port; default 8883. */
  public static final String PORT = "EDGEAI4J_MQTT_PORT";
  /** Sends in flight at most; default 64. */
  public static final String MAX_INFLIGHT = "EDGEAI4J_MQTT_MAX_INFLIGHT";
  /** The IoT Edge runtime variables, all required for the workload path. */
  public static final List<String> RUNTIME_VARIABLES = List.of(
      "IOTEDGE_WORKLOADURI",
      "IOTEDGE_DEVICEID",
      "IOTEDGE_MODULEID",
      "IOTEDGE_MODULEGENERATIONID",
      "IOTEDGE_IOTHUBHOSTNAME",
      "IOTEDGE_GATEWAYHOSTNAME",
      "IOTEDGE_AUTHSCHEME");
  /** The connection string's keys, all required. */
  public static final List<String> CONNECTION_STRING_KEYS =
      List.of("HostName", "GatewayHostName", "DeviceId", "ModuleId", "SharedAccessKey");
  /** The MQTT port of edgeHub and of the SDK. */
  public static final int DEFAULT_PORT = 8883;

  private final EdgeHubMqttOptions options;

  /** Creates a provider with {@link EdgeHubMqttOptions#defaults()}; the constructor ServiceLoader uses. */
  public EdgeHubMqttTransportProvider() {
    this(EdgeHubMqttOptions.defaults());
  }

  /**
   * Creates a provider whose transports use these options ({@value #MAX_INFLIGHT} still overrides the window).
   *
   * @param options Limits and timings.
   */
  public EdgeHubMqttTransportProvider(EdgeHubMqttOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Returns {@value #PRIORITY}: chosen before the SDK transport when the environment names no transport. */
  public int priority() {
    return PRIORITY;
  }

  @Override
  public String unavailableReason(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    String tuning = tuningProblem(environment);
    if (tuning != null) {
      return tuning;
    }
    String connectionString = value(environment, EDGE_HUB_CONNECTION_STRING);
    if (connectionString != null) {
      Map<String, String> parts = parseConnectionString(connectionString);
      List<String> missing = new ArrayList<>();
      for (String key : CONNECTION_STRING_KEYS) {
        if (parts.get(key) == null || parts.get(key).isBlank()) {
          missing.add(key);
        }
      }
      if (!missing.isEmpty()) {
        return EDGE_HUB_CONNECTION_STRING + " lacks " + String.join(", ", missing) + "; expected HostName=<hub>;"
            + "GatewayHostName=<edgeHub host>;DeviceId=<device>;ModuleId=<module>;SharedAccessKey=<base64 key>";
      }
      try {
        Base64.getDecoder().decode(parts.get("SharedAccessKey"));
      } catch (IllegalArgumentException e) {
        return EDGE_HUB_CONNECTION_STRING + " has a SharedAccessKey that is not base64: " + e.getMessage();
      }
      return EdgeEnvironment.caFileProblem(value(environment, CA_CERTIFICATE_FILE));
    }
    return EdgeEnvironment.runtimeProblem(environment, RUNTIME_VARIABLES, NAME);
  }

  /**
   * Creates a transport from the environment map; see the class comment. For the workload path this calls the
   * workload API once for the trust bundle; tokens are signed when the transport connects.
   *
   * @throws TransportException If {@link #unavailableReason(Map)} names a reason (not retryable), the CA file or
   *     trust bundle is not a PEM certificate (not retryable), or the workload API cannot be reached (retryable).
   */
  @Override
  public ModuleTransport create(Map<String, String> environment) throws TransportException {
    String reason = unavailableReason(environment);
    if (reason != null) {
      throw new TransportException(reason, false, null);
    }
    int port = intValue(environment, PORT, DEFAULT_PORT);
    EdgeHubMqttOptions effective = options;
    if (value(environment, MAX_INFLIGHT) != null) {
      effective = options.toBuilder().maxInflight(intValue(environment, MAX_INFLIGHT, options.maxInflight())).build();
    }
    String connectionString = value(environment, EDGE_HUB_CONNECTION_STRING);
    ConnectionSettings settings = connectionString != null
        ? fromConnectionString(parseConnectionString(connectionString), value(environment, CA_CERTIFICATE_FILE), port)
        : fromRuntime(environment, port, effective);
    return new EdgeHubMqttTransport(settings, effective);
  }

  @Override
  public String toString() {
    return "EdgeHubMqttTransportProvider{" + NAME + ", priority " + PRIORITY + ", " + options + '}';
  }

  private static ConnectionSettings fromConnectionString(Map<String, String> parts, String caFile, int port)
      throws TransportException {
    SSLContext trust = EdgeEnvironment.trustCaFile(caFile);
    String hub = parts.get("HostName");
    String device = parts.get("DeviceId");
    String module = parts.get("ModuleId");
    byte[] key = Base64.getDecoder().decode(parts.get("SharedAccessKey"));
    return new ConnectionSettings(hub, parts.get("GatewayHostName"), port, new ModuleIdentity(device, module), trust,
        SasTokens.fromKey(SasTokens.audience(hub, device, module), key));
  }

  private static ConnectionSettings fromRuntime(Map<String, String> environment, int port,
      EdgeHubMqttOptions options) throws TransportException {
    String workloadUri = value(environment, "IOTEDGE_WORKLOADURI");
    String hub = value(environment, "IOTEDGE_IOTHUBHOSTNAME");
    String device = value(environment, "IOTEDGE_DEVICEID");
    String module = value(environment, "IOTEDGE_MODULEID");
    String generation = value(environment, "IOTEDGE_MODULEGENERATIONID");
    String pem;
    HttpHsmSignatureProvider signer;
    try {
      HttpsHsmClient workload = new HttpsHsmClient(workloadUri,
          new JdkUnixDomainSocketChannel(options.workloadApiTimeout()));
      TrustBundleResponse bundle = workload.getTrustBundle(SasTokens.WORKLOAD_API_VERSION);
      pem = bundle == null ? null : bundle.getCertificates();
      signer = new HttpHsmSignatureProvider(workloadUri, SasTokens.WORKLOAD_API_VERSION,
          new JdkUnixDomainSocketChannel(options.workloadApiTimeout()));
    } catch (com.microsoft.azure.sdk.iot.device.transport.TransportException e) {
      throw new TransportException("The workload API at " + workloadUri + " did not return the trust bundle: "
          + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), true, e);
    } catch (URISyntaxException | GeneralSecurityException | RuntimeException e) {
      throw new TransportException("IOTEDGE_WORKLOADURI is '" + workloadUri + "', which cannot be used: " + e, false, e);
    }
    if (pem == null || pem.isBlank()) {
      throw new TransportException("The workload API at " + workloadUri + " returned an empty trust bundle", true, null);
    }
    SSLContext trust;
    try {
      trust = IotHubSSLContext.getSSLContextFromString(pem);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new TransportException("The trust bundle from the workload API at " + workloadUri + " is not a usable"
          + " PEM certificate: " + e.getMessage(), false, e);
    }
    return new ConnectionSettings(hub, value(environment, "IOTEDGE_GATEWAYHOSTNAME"), port,
        new ModuleIdentity(device, module), trust,
        SasTokens.fromWorkloadApi(SasTokens.audience(hub, device, module), signer, module, generation, workloadUri));
  }

  /** Splits {@code k=v;k=v}; a value may contain {@code =} (base64 keys end with it). */
  static Map<String, String> parseConnectionString(String connectionString) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : connectionString.split(";")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
      }
    }
    return parts;
  }

  private static String tuningProblem(Map<String, String> environment) {
    String port = value(environment, PORT);
    if (port != null && parse(port, 1, 65_535) == null) {
      return PORT + " is '" + port + "', expected a port number from 1 to 65535 (default " + DEFAULT_PORT + ")";
    }
    String inflight = value(environment, MAX_INFLIGHT);
    int max = EdgeHubMqttOptions.PAHO_MAX_INFLIGHT - 64;
    if (inflight != null && parse(inflight, 1, max) == null) {
      return MAX_INFLIGHT + " is '" + inflight + "', expected a number from 1 to " + max + " (default 64)";
    }
    return null;
  }

  private static Integer parse(String text, int min, int max) {
    try {
      int n = Integer.parseInt(text.trim());
      return n < min || n > max ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int intValue(Map<String, String> environment, String name, int fallback) {
    String text = value(environment, name);
    return text == null ? fallback : Integer.parseInt(text.trim());
  }
}
