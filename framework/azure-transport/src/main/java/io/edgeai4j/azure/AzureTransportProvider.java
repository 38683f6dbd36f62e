package io.edgeai4j.azure;

import static io.edgeai4j.azure.EdgeEnvironment.value;

import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Creates {@link AzureModuleTransport}s for modules that run under Azure IoT Edge. Registered as
 * {@code azure-iot-edge} in {@code META-INF/services/io.edgeai4j.module.spi.ModuleTransportProvider}.
 *
 * <p>Two environments are recognised, in this order:
 *
 * <ol>
 *   <li>The simulator's (iotedgehubdev) or a hand-made one: {@value #EDGE_HUB_CONNECTION_STRING}, a module
 *       connection string with {@code GatewayHostName}, plus {@value #CA_CERTIFICATE_FILE}, the PEM file of
 *       the CA that signed edgeHub's server certificate.
 *   <li>The IoT Edge runtime's, as edgeAgent sets it for every module: {@code IOTEDGE_WORKLOADURI},
 *       {@code IOTEDGE_DEVICEID}, {@code IOTEDGE_MODULEID}, {@code IOTEDGE_IOTHUBHOSTNAME},
 *       {@code IOTEDGE_AUTHSCHEME} ({@code sasToken}), {@code IOTEDGE_MODULEGENERATIONID} and
 *       {@code IOTEDGE_GATEWAYHOSTNAME}. The transport is then made by the SDK's
 *       {@code ModuleClient.createFromEnvironment}, which reads this process's environment itself, has the
 *       workload API sign its SAS tokens (over a unix socket through {@link JdkUnixDomainSocketChannel}) and
 *       trusts the workload API's trust bundle.
 * </ol>
 *
 * <p>Nothing is connected and no file is read until {@link #create(Map)}. Instances are immutable and
 * thread-safe.
 */
public final class AzureTransportProvider implements ModuleTransportProvider {
  /** The provider's name. */
  public static final String NAME = "azure-iot-edge";
  /** The module connection string iotedgehubdev sets. */
  public static final String EDGE_HUB_CONNECTION_STRING = EdgeEnvironment.EDGE_HUB_CONNECTION_STRING;
  /** The PEM file that edgeHub's server certificate chains to, used with the connection string. */
  public static final String CA_CERTIFICATE_FILE = EdgeEnvironment.CA_CERTIFICATE_FILE;
  /** A device or module connection string straight to IoT Hub, which the SDK would prefer to the runtime's. */
  public static final String IOT_HUB_CONNECTION_STRING = "IotHubConnectionString";
  /** The IoT Edge runtime variables, all required for the runtime path. */
  public static final List<String> RUNTIME_VARIABLES = List.of(
      "IOTEDGE_WORKLOADURI",
      "IOTEDGE_DEVICEID",
      "IOTEDGE_MODULEID",
      "IOTEDGE_IOTHUBHOSTNAME",
      "IOTEDGE_AUTHSCHEME",
      "IOTEDGE_MODULEGENERATIONID",
      "IOTEDGE_GATEWAYHOSTNAME");

  private final AzureTransportOptions options;

  /** Creates a provider with {@link AzureTransportOptions#defaults()}; the constructor ServiceLoader uses. */
  public AzureTransportProvider() {
    this(AzureTransportOptions.defaults());
  }

  /**
   * Creates a provider whose transports use the given options.
   *
   * @param options Timeouts and the retry policy.
   */
  public AzureTransportProvider(AzureTransportOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String unavailableReason(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    if (value(environment, EDGE_HUB_CONNECTION_STRING) != null) {
      return EdgeEnvironment.caFileProblem(value(environment, CA_CERTIFICATE_FILE));
    }
    String runtime = EdgeEnvironment.runtimeProblem(environment, RUNTIME_VARIABLES, "the Azure IoT device SDK");
    if (runtime != null) {
      return runtime;
    }
    if (value(environment, IOT_HUB_CONNECTION_STRING) != null) {
      return IOT_HUB_CONNECTION_STRING + " is set: ModuleClient.createFromEnvironment would connect with it"
          + " straight to IoT Hub instead of through edgeHub; unset it";
    }
    return null;
  }

  /**
   * Creates a transport; see the class comment for which environment leads where.
   *
   * @throws TransportException If {@link #unavailableReason(Map)} names a reason, the CA file is not a PEM
   *     certificate, the connection string is not valid, the runtime environment differs from this
   *     process's, or the workload API cannot be reached (the only retryable case).
   */
  @Override
  public ModuleTransport create(Map<String, String> environment) throws TransportException {
    String reason = unavailableReason(environment);
    if (reason != null) {
      throw new TransportException(reason, false, null);
    }
    String connectionString = value(environment, EDGE_HUB_CONNECTION_STRING);
    if (connectionString != null) {
      SSLContext trust = EdgeEnvironment.trustCaFile(value(environment, CA_CERTIFICATE_FILE));
      return AzureModuleTransport.fromConnectionString(connectionString, trust, options);
    }
    List<String> differing = new ArrayList<>();
    List<String> readBySdk = new ArrayList<>(RUNTIME_VARIABLES);
    readBySdk.add(EDGE_HUB_CONNECTION_STRING);
    readBySdk.add(IOT_HUB_CONNECTION_STRING);
    for (String name : readBySdk) {
      if (!Objects.equals(value(environment, name), value(System.getenv(), name))) {
        differing.add(name);
      }
    }
    if (!differing.isEmpty()) {
      throw new TransportException("ModuleClient.createFromEnvironment reads this process's environment, which"
          + " differs from the environment given in " + String.join(", ", differing)
          + "; create the transport from System.getenv()", false, null);
    }
    return AzureModuleTransport.fromEdgeRuntime(options);
  }

  @Override
  public String toString() {
    return "AzureTransportProvider{" + NAME + ", " + options + '}';
  }
}
