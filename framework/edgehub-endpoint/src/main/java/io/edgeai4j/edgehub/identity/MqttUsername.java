package io.edgeai4j.edgehub.identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An MQTT username as edgeHub's {@code MqttUsernameParser} reads it: {@code {host}/{deviceId}[/{moduleId}]/?{props}}
 * or {@code {host}/{deviceId}[/{moduleId}]/{props}}, props {@code k=v&...} URL-encoded, {@code api-version} required.
 *
 * @param host the first segment (the SDK writes the IoT hub host name; not checked, as edgeHub does not)
 * @param deviceId the device id
 * @param moduleId the module id, or null for a device identity
 * @param properties the decoded properties ({@code api-version}, {@code DeviceClientType}, ...)
 */
record MqttUsername(String host, String deviceId, String moduleId, Map<String, String> properties) {
  static final String FORMAT = "{hub}/{deviceId}/{moduleId}/?api-version=...";

  static MqttUsername parse(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("No username; expected " + FORMAT);
    }
    int query = username.indexOf("/?");
    String identity;
    String props;
    if (query >= 0) {
      identity = username.substring(0, query);
      props = username.substring(query + 2);
    } else {
      int last = username.lastIndexOf('/');
      identity = last < 0 ? username : username.substring(0, last);
      props = last < 0 ? "" : username.substring(last + 1);
    }
    String[] parts = identity.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || anyEmpty(parts)) {
      throw new IllegalArgumentException("Username '" + username + "' does not name {hub}/{deviceId}[/{moduleId}]; "
          + "expected " + FORMAT);
    }
    Map<String, String> properties = properties(username, props);
    String apiVersion = properties.get("api-version");
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new IllegalArgumentException("Username '" + username + "' has no api-version; expected " + FORMAT);
    }
    return new MqttUsername(parts[0], parts[1], parts.length == 3 ? parts[2] : null, Map.copyOf(properties));
  }

  private static Map<String, String> properties(String username, String props) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (props.isEmpty()) {
      return properties;
    }
    for (String pair : props.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        properties.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value,
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Username '" + username + "' has a property '" + pair
            + "' that is not URL-encoded (" + e.getMessage() + "); expected " + FORMAT, e);
      }
    }
    return properties;
  }

  private static boolean anyEmpty(String[] parts) {
    for (String part : parts) {
      if (part.isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
