package io.edgeai4j.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.ModuleTransport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeHubEndpointTest {
  @TempDir
  Path state;

  @Test
  void keepsKeysAndCertificatesUnderTheStateDirectoryAndGivesEachModuleItsEnvironment() throws Exception {
    Map<String, String> runtime;
    Map<String, String> credentials;
    try (EndpointHarness harness = EndpointHarness.start(state, hub -> { }, endpoint -> { })) {
      EdgeHubEndpoint endpoint = harness.endpoint;
      assertThat(state.resolve("module-keys.json")).isRegularFile();
      assertThat(endpoint.certificates().caCertificateFile()).startsWith(state.resolve("pki")).isRegularFile();
      assertThat(endpoint.keys().moduleIds()).contains("sender", "receiver");
      assertThat(endpoint.mqttAddress().getPort()).isPositive();

      credentials = endpoint.connectionStringEnvironment("sender");
      assertThat(credentials).containsOnlyKeys("EdgeHubConnectionString", "EdgeModuleCACertificateFile");
      assertThat(credentials.get("EdgeHubConnectionString")).isEqualTo("HostName=" + EndpointHarness.HUB_HOST
          + ";GatewayHostName=localhost;DeviceId=dev;ModuleId=sender;SharedAccessKey="
          + endpoint.keys().keyBase64("sender"));
      assertThat(credentials.get("EdgeModuleCACertificateFile"))
          .isEqualTo(endpoint.certificates().caCertificateFile().toString());

      runtime = endpoint.runtimeEnvironment("sender");
      assertThat(runtime).containsEntry("IOTEDGE_WORKLOADURI", endpoint.workloadUri().toString())
          .containsEntry("IOTEDGE_DEVICEID", "dev")
          .containsEntry("IOTEDGE_MODULEID", "sender")
          .containsEntry("IOTEDGE_IOTHUBHOSTNAME", EndpointHarness.HUB_HOST)
          .containsEntry("IOTEDGE_GATEWAYHOSTNAME", "localhost")
          .containsEntry("IOTEDGE_AUTHSCHEME", "sasToken")
          .containsEntry("IOTEDGE_APIVERSION", "2018-06-28")
          .containsKey("IOTEDGE_MODULEGENERATIONID");
      assertThat(endpoint.workloadUri().toString()).startsWith("http://localhost:");
      assertThat(runtime.get("IOTEDGE_MODULEGENERATIONID"))
          .isNotEqualTo(endpoint.runtimeEnvironment("receiver").get("IOTEDGE_MODULEGENERATIONID"));
      assertThatThrownBy(() -> endpoint.connectionStringEnvironment("ghost"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
    }
    // A restart on the same state directory keeps the keys, the CA and the generation ids.
    try (EndpointHarness again = EndpointHarness.start(state, hub -> { }, endpoint -> { })) {
      assertThat(again.endpoint.connectionStringEnvironment("sender")).isEqualTo(credentials);
      assertThat(again.endpoint.runtimeEnvironment("sender").get("IOTEDGE_MODULEGENERATIONID"))
          .isEqualTo(runtime.get("IOTEDGE_MODULEGENERATIONID"));
    }
  }

  @Test
  void withoutTheWorkloadApiHasNoRuntimeEnvironment() throws Exception {
    try (EndpointHarness harness = EndpointHarness.start(state, hub -> { }, endpoint -> endpoint
        .workloadAddress(null))) {
      assertThat(harness.endpoint.workloadUri()).isNull();
      assertThatThrownBy(() -> harness.endpoint.runtimeEnvironment("sender"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("workload API is off");
    }
  }

  @Test
  void failsToStartNamingTheAddressInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EndpointHarness.start(state, hub -> { }, endpoint -> endpoint
          .mqttAddress(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("cannot listen for MQTT on /127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(Files.exists(state)).isTrue();
  }

  @Test
  void startsAgainOnTheSameHubAndRegistryAndDeliversWhatWaitedMeanwhile() throws Exception {
    try (EndpointHarness harness = EndpointHarness.start(state, hub -> { }, endpoint -> { })) {
      harness.endpoint.close();
      ModuleTransport sender = harness.hub.transportFor("sender");
      sender.open(new NoopListener());
      sender.send("out", EdgeMessage.builder().jsonBody("{\"while\":\"away\"}").messageId("waited").build());
      sender.close();

      try (EdgeHubEndpoint again = EdgeHubEndpoint.start(harness.hub, EndpointOptions.builder().stateDirectory(state)
          .iotHubHostName(EndpointHarness.HUB_HOST).mqttAddress(new InetSocketAddress("127.0.0.1", 0)).build(),
          harness.metrics())) {
        MqttAsyncClient receiver = new MqttAsyncClient("ssl://127.0.0.1:" + again.mqttAddress().getPort(),
            "dev/receiver", new MemoryPersistence());
        List<String> topics = new CopyOnWriteArrayList<>();
        receiver.setCallback(new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        try {
          receiver.connect(harness.options("receiver")).waitForCompletion(10_000);
          receiver.subscribe("devices/dev/modules/receiver/inputs/#", 1).waitForCompletion(10_000);
          await().atMost(Duration.ofSeconds(10)).until(() -> topics.size() == 1);
          assertThat(topics.get(0)).contains("%24.mid=waited");
          assertThat(harness.metric("edgeai4j_edgehub_connected_modules")).isEqualTo(1);
        } finally {
          receiver.disconnectForcibly(0, 100, false);
          receiver.close(true);
        }
      }
    }
  }
}
