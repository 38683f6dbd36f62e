package io.edgeai4j.azure.edgehub;

import io.edgeai4j.module.ModuleIdentity;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and as whom a module connects to edgeHub, read from its environment by
 * {@link EdgeHubMqttTransportProvider}. Immutable.
 *
 * @param hubHostName The IoT Hub host name (username and token audience).
 * @param gatewayHostName edgeHub's host name; must match a name in its server certificate.
 * @param port edgeHub's MQTT port (8883 on a device).
 * @param identity The module.
 * @param trust Trusts edgeHub's server certificate.
 * @param tokens Makes the module's SAS tokens.
 */
record ConnectionSettings(String hubHostName, String gatewayHostName, int port, ModuleIdentity identity,
    SSLContext trust, SasTokenSource tokens) {
  ConnectionSettings {
    Objects.requireNonNull(hubHostName, "hubHostName");
    Objects.requireNonNull(gatewayHostName, "gatewayHostName");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(tokens, "tokens");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port is " + port + ", expected 1 to 65535");
    }
  }

  String serverUri() {
    return "ssl://" + gatewayHostName + ":" + port;
  }

  String clientId() {
    return identity.deviceId() + "/" + identity.moduleId();
  }
}
