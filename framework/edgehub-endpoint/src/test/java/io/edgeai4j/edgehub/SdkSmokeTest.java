package io.edgeai4j.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified Azure IoT device SDK 2.5.0 against the endpoint: one {@code ModuleClient} sends to an output, a
 * second one receives the routed message on its input. The SDK always connects to port 8883, so the endpoint listens
 * on 127.0.0.1:8883 (in the test JVM's own network namespace, see the pom's test-network-namespace profile).
 */
class SdkSmokeTest {
  @TempDir
  Path state;

  @Test
  void anSdkModuleSendsToAnOutputAndAnotherSdkModuleReceivesItOnItsInput() throws Exception {
    try (EndpointHarness harness = EndpointHarness.start(state, hub -> { }, endpoint -> endpoint
        .mqttAddress(new InetSocketAddress("127.0.0.1", EndpointOptions.MQTT_PORT)).gatewayHostName("127.0.0.1"))) {
      ClientOptions trust = ClientOptions.builder().sslContext(harness.trustingCa()).build();
      ModuleClient receiver = new ModuleClient(connectionString(harness, "receiver"), IotHubClientProtocol.MQTT,
          trust);
      ModuleClient sender = new ModuleClient(connectionString(harness, "sender"), IotHubClientProtocol.MQTT, trust);
      List<Message> received = new CopyOnWriteArrayList<>();
      receiver.setMessageCallback("in", (message, context) -> {
        received.add(message);
        return IotHubMessageResult.COMPLETE;
      }, null);
      try {
        receiver.open(true);
        sender.open(true);
        assertThat(harness.endpoint.connectedModules()).containsExactly("receiver", "sender");

        Message message = new Message("{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8));
        message.setContentType("application/json");
        message.setContentEncoding("utf-8");
        message.setMessageId("smoke-1");
        message.setCorrelationId("corr 1");
        message.setProperty("unit", "°C");
        sender.sendEvent(message, "out", 10_000);

        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 1);
        Message got = received.get(0);
        assertThat(new String(got.getBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"temperature\":21.5}");
        assertThat(got.getInputName()).isEqualTo("in");
        assertThat(got.getMessageId()).isEqualTo("smoke-1");
        assertThat(got.getCorrelationId()).isEqualTo("corr 1");
        assertThat(got.getContentType()).isEqualTo("application/json");
        // SDK 2.5.0 parses properties from the first "%24" of the topic; edgeHub writes application properties
        // before the system ones, so the SDK loses them (as on a device). edgeai4j's edgehub-mqtt transport keeps
        // them; this assertion fails, and the README must change, the day the SDK parses the whole bag.
        assertThat(got.getProperty("unit")).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() ->
            harness.metric("edgeai4j_edgehub_messages_delivered_total", "module", "receiver") == 1);
      } finally {
        sender.close();
        receiver.close();
      }
    }
  }

  private static String connectionString(EndpointHarness harness, String moduleId) {
    String value = harness.endpoint.connectionStringEnvironment(moduleId).get("EdgeHubConnectionString");
    assertThat(value).contains("GatewayHostName=127.0.0.1", "ModuleId=" + moduleId);
    return value;
  }
}
