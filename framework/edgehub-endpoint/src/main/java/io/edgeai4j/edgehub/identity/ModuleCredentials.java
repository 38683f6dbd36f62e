package io.edgeai4j.edgehub.identity;

/** What a module needs to connect, as iotedgehubdev's modulecred prints it. */
public final class ModuleCredentials {
  private ModuleCredentials() {
  }

  /** HostName={hub};GatewayHostName={gw};DeviceId={d};ModuleId={m};SharedAccessKey={key}. */
  public static String connectionString(String iotHubHostName, String gatewayHostName, String deviceId,
      String moduleId, String keyBase64) {
    throw new UnsupportedOperationException("not yet");
  }
}
