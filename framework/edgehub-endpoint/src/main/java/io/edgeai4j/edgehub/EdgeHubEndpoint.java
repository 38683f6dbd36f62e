package io.edgeai4j.edgehub;

import io.edgeai4j.edgehub.identity.ConnectAuthenticator;
import io.edgeai4j.edgehub.identity.EdgeCertificates;
import io.edgeai4j.edgehub.identity.ModuleCredentials;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import io.edgeai4j.edgehub.server.MqttEndpointServer;
import io.edgeai4j.edgehub.server.ServerSettings;
import io.edgeai4j.edgehub.workload.WorkloadApiServer;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running endpoint for one {@link LocalEdgeHub}: the MQTT server (edgeHub's module surface over TLS), the
 * modules' keys ({@code <state>/module-keys.json}), the CA and server certificate ({@code <state>/pki}) and the
 * workload API. The creator owns it and closes it before the hub; {@link #close()} is idempotent and disconnects
 * every client. Thread-safe.
 */
public final class EdgeHubEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeHubEndpoint.class);
  /** The workload API version the IoT Edge runtime announces. */
  public static final String WORKLOAD_API_VERSION = "2018-06-28";

  private final LocalEdgeHub hub;
  private final EndpointOptions options;
  private final ModuleKeys keys;
  private final EdgeCertificates certificates;
  private final MqttEndpointServer server;
  private final WorkloadApiServer workload;
  private volatile boolean closed;

  private EdgeHubEndpoint(LocalEdgeHub hub, EndpointOptions options, ModuleKeys keys, EdgeCertificates certificates,
      MqttEndpointServer server, WorkloadApiServer workload) {
    this.hub = hub;
    this.options = options;
    this.keys = keys;
    this.certificates = certificates;
    this.server = server;
    this.workload = workload;
  }

  /**
   * Opens (or creates) the keys and certificates under the state directory and starts the MQTT server and, unless
   * off, the workload API.
   *
   * @param hub The hub modules connect to; every one of its {@link LocalEdgeHub#moduleIds()} gets a key.
   * @param options Addresses, names and limits.
   * @param registry Where the {@code edgeai4j_edgehub_*} metrics are registered.
   * @return The running endpoint.
   * @throws IOException If the state cannot be read or written, or an address cannot be bound.
   */
  public static EdgeHubEndpoint start(LocalEdgeHub hub, EndpointOptions options, PrometheusRegistry registry)
      throws IOException {
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(registry, "registry");
    Files.createDirectories(options.stateDirectory());
    ModuleKeys keys = ModuleKeys.open(options.stateDirectory().resolve("module-keys.json"), hub.deviceId(),
        hub.moduleIds());
    Set<String> names = new LinkedHashSet<>();
    names.add(options.gatewayHostName());
    names.addAll(options.extraServerNames());
    EdgeCertificates certificates = EdgeCertificates.loadOrCreate(options.stateDirectory().resolve("pki"),
        hub.deviceId(), names, options.clock());
    SslContext ssl = SslContextBuilder.forServer(certificates.serverKey(), certificates.serverChain())
        .sslProvider(SslProvider.JDK).build();
    ConnectAuthenticator authenticator =
        new ConnectAuthenticator(keys, options.iotHubHostName(), Set.copyOf(names), options.clock());
    ServerSettings settings = new ServerSettings(options.mqttAddress(), options.messageAckTimeout(),
        options.maxInflightPerModule(), ServerSettings.EDGE_HUB_MAX_MESSAGE_BYTES, Duration.ofSeconds(30),
        options.clock());
    MqttEndpointServer server = MqttEndpointServer.start(hub, authenticator, ssl, settings, registry);
    WorkloadApiServer workload = null;
    try {
      if (options.workloadAddress() != null) {
        workload = WorkloadApiServer.start(options.workloadAddress(), keys, certificates);
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    EdgeHubEndpoint endpoint = new EdgeHubEndpoint(hub, options, keys, certificates, server, workload);
    LOG.info("edgeHub MQTT endpoint listening on {} (GatewayHostName {}, CA {}){}", endpoint.mqttAddress(),
        options.gatewayHostName(), certificates.caCertificateFile(),
        workload == null ? "" : ", workload API on " + workload.uri());
    return endpoint;
  }

  /** Returns the bound MQTT address (the real port when 0 was asked). */
  public InetSocketAddress mqttAddress() {
    return server.address();
  }

  /**
   * Returns the workload API's URI ({@code http://localhost:<port>/} on loopback, the only host the SDK speaks plain
   * HTTP to), or null when it is off.
   */
  public URI workloadUri() {
    return workload == null ? null : workload.uri();
  }

  /** Returns the modules' keys. */
  public ModuleKeys keys() {
    return keys;
  }

  /** Returns the CA and server certificate. */
  public EdgeCertificates certificates() {
    return certificates;
  }

  /**
   * Returns what a module process needs to connect with a connection string: {@code EdgeHubConnectionString} and
   * {@code EdgeModuleCACertificateFile}.
   *
   * @param moduleId One of the hub's modules.
   * @throws IllegalArgumentException If the hub has no such module; the message names the known ones.
   */
  public Map<String, String> connectionStringEnvironment(String moduleId) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("EdgeHubConnectionString", ModuleCredentials.connectionString(options.iotHubHostName(),
        options.gatewayHostName(), hub.deviceId(), moduleId, keys.keyBase64(moduleId)));
    env.put("EdgeModuleCACertificateFile", certificates.caCertificateFile().toString());
    return env;
  }

  /**
   * Returns the IoT Edge runtime's variables for a module process, as {@code ModuleClient.createFromEnvironment}
   * reads them; {@code IOTEDGE_MODULEGENERATIONID} is stable for a module as long as its key is.
   *
   * @param moduleId One of the hub's modules.
   * @throws IllegalArgumentException If the hub has no such module.
   * @throws IllegalStateException If the workload API is off.
   */
  public Map<String, String> runtimeEnvironment(String moduleId) {
    if (workload == null) {
      throw new IllegalStateException("the workload API is off (EndpointOptions.workloadAddress(null)); module"
          + " '" + moduleId + "' can only use connectionStringEnvironment");
    }
    String key = keys.keyBase64(moduleId);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IOTEDGE_WORKLOADURI", workload.uri().toString());
    env.put("IOTEDGE_DEVICEID", hub.deviceId());
    env.put("IOTEDGE_MODULEID", moduleId);
    env.put("IOTEDGE_MODULEGENERATIONID", UUID.nameUUIDFromBytes(
        (hub.deviceId() + "/" + moduleId + "/" + key).getBytes(StandardCharsets.UTF_8)).toString());
    env.put("IOTEDGE_IOTHUBHOSTNAME", options.iotHubHostName());
    env.put("IOTEDGE_GATEWAYHOSTNAME", options.gatewayHostName());
    env.put("IOTEDGE_AUTHSCHEME", "sasToken");
    env.put("IOTEDGE_APIVERSION", WORKLOAD_API_VERSION);
    return env;
  }

  /** Returns the ids of the modules connected over MQTT now. */
  public Set<String> connectedModules() {
    return server.connectedModules();
  }

  /** Stops the workload API and the MQTT server, disconnecting every client. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (workload != null) {
      workload.close();
    }
    server.close();
  }
}
