package io.edgeai4j.cli.model;

import com.azure.core.credential.AzureSasCredential;
import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionStringBuilder;
import com.microsoft.azure.sdk.iot.service.auth.IotHubServiceSasToken;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An IoT Hub service connection string ({@code HostName=...;SharedAccessKeyName=...;SharedAccessKey=...}), parsed
 * once. Immutable and thread-safe; holds no resource.
 *
 * <p>{@code HostName} may carry a port ({@code 127.0.0.1:8443}): the service SDK's own parser refuses one, so the
 * port is kept here, the SAS token is made by the SDK ({@link IotHubServiceSasToken}) from the string without it,
 * and the SDK's clients get the host with the port and that token. Against a real hub (no port) the requests and
 * the token are exactly those of a client built from the connection string.
 *
 * @param hostName The hub's host name, e.g. {@code my-hub.azure-devices.net}, without a port.
 * @param port The port, or -1 for the default (443).
 * @param keyName The shared access policy, e.g. {@code iothubowner}.
 * @param key The policy's key (base64).
 */
public record HubConnection(String hostName, int port, String keyName, String key) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.-]+");

  /** @throws IllegalArgumentException When a part is missing or malformed. */
  public HubConnection {
    if (hostName == null || !HOST.matcher(hostName).matches()) {
      throw new IllegalArgumentException("HostName: expected a host name such as my-hub.azure-devices.net, found "
          + (hostName == null ? "nothing" : "'" + hostName + "'"));
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("HostName: expected a port from 1 to 65535, found " + port);
    }
    if (keyName == null || keyName.isBlank()) {
      throw new IllegalArgumentException("SharedAccessKeyName: missing; expected a policy name such as iothubowner");
    }
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("SharedAccessKey: missing; expected the policy's base64 key");
    }
  }

  /**
   * Parses a service connection string.
   *
   * @param option The option or variable it came from, for messages (e.g. {@code --hub-connection-string}).
   * @throws IllegalArgumentException Starting with {@code option}, naming the part that is wrong (the key is never
   *     quoted).
   */
  public static HubConnection parse(String text, String option) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(option + ": expected Key=Value parts separated by ';'"
            + " (HostName, SharedAccessKeyName, SharedAccessKey), found a part without '='");
      }
      parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
    }
    String host = parts.get("hostname");
    int port = -1;
    if (host != null && host.contains(":")) {
      String portText = host.substring(host.indexOf(':') + 1);
      host = host.substring(0, host.indexOf(':'));
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": HostName: expected a port number after ':', found '"
            + portText + "'");
      }
    }
    try {
      return new HubConnection(host, port, parts.get("sharedaccesskeyname"), parts.get("sharedaccesskey"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /** The host the SDK's clients address: {@code host} or {@code host:port}. */
  public String endpointHost() {
    return port == -1 ? hostName : hostName + ":" + port;
  }

  /**
   * A service SAS token for the hub (the SDK's, valid for its default hour), as the SDK's clients send it in
   * {@code Authorization}.
   */
  public AzureSasCredential credential() {
    String sdkForm = "HostName=" + hostName + ";SharedAccessKeyName=" + keyName + ";SharedAccessKey=" + key;
    return new AzureSasCredential(
        new IotHubServiceSasToken(IotHubConnectionStringBuilder.createIotHubConnectionString(sdkForm)).toString());
  }

  @Override
  public String toString() {
    return "HubConnection[" + endpointHost() + ", " + keyName + "]";
  }
}
