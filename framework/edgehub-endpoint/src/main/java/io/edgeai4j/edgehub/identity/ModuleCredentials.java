package io.edgeai4j.edgehub.identity;

import java.util.Objects;

/** What a module needs to connect, as iotedgehubdev's modulecred prints it. */
public final class ModuleCredentials {
  private ModuleCredentials() {
  }

  /**
   * Returns {@code HostName={hub};GatewayHostName={gw};DeviceId={d};ModuleId={m};SharedAccessKey={key}}, what
   * {@code EdgeHubConnectionString} holds for a module on a device.
   *
   * @throws IllegalArgumentException when a part is blank or holds {@code ;} (the connection string's separator), or
   *     the IoT hub host name has no {@code .}: the SDK's parser ({@code IotHubConnectionString}) refuses such a
   *     {@code HostName} ("[iotHubName].[valid URI chars]"), so {@code localhost} cannot be one
   */
  public static String connectionString(String iotHubHostName, String gatewayHostName, String deviceId,
      String moduleId, String keyBase64) {
    if (iotHubHostName != null && !iotHubHostName.isBlank() && iotHubHostName.indexOf('.') <= 0) {
      throw new IllegalArgumentException("The IoT hub host name '" + iotHubHostName + "' has no '.'; expected "
          + "{hubName}.{domain} (e.g. edgeai4j.local), as the Azure IoT SDK's connection-string parser demands");
    }
    return "HostName=" + part("HostName", iotHubHostName)
        + ";GatewayHostName=" + part("GatewayHostName", gatewayHostName)
        + ";DeviceId=" + part("DeviceId", deviceId)
        + ";ModuleId=" + part("ModuleId", moduleId)
        + ";SharedAccessKey=" + part("SharedAccessKey", keyBase64);
  }

  private static String part(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank() || value.indexOf(';') >= 0) {
      throw new IllegalArgumentException("A connection string's " + name + " must be non-blank text without ';'; "
          + "found " + (name.equals("SharedAccessKey") ? "a value of " + value.length() + " characters" : "'" + value
          + "'"));
    }
    return value;
  }
}
