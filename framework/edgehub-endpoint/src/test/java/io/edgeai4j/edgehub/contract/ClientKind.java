package io.edgeai4j.edgehub.contract;

import java.util.Map;

/** The clients the contract suite runs against the endpoint, each as a module uses it. */
enum ClientKind {
  /** The Azure IoT device SDK 2.5.0's {@code ModuleClient} over MQTT, called directly. */
  SDK,
  /** edgeai4j's {@code azure-iot-edge} transport: the same SDK under {@code ModuleTransport}. */
  AZURE_IOT_EDGE,
  /** edgeai4j's {@code edgehub-mqtt} transport: Paho speaking edgeHub's MQTT module surface. */
  EDGEHUB_MQTT;

  /** The {@code EDGEAI4J_TRANSPORT} name of the transport; null for the bare SDK. */
  String providerName() {
    return switch (this) {
      case SDK -> null;
      case AZURE_IOT_EDGE -> "azure-iot-edge";
      case EDGEHUB_MQTT -> "edgehub-mqtt";
    };
  }

  /** Connects a module with this client, from its {@code EdgeHubConnectionString} environment. */
  ContractClient connect(Map<String, String> environment) throws Exception {
    return this == SDK
        ? SdkContractClient.connect(environment)
        : TransportContractClient.connect(providerName(), environment);
  }
}
