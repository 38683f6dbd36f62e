package io.edgeai4j.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
      assertThat(endpoint.workloadUri().toString()).startsWith("http://127.0.0.1:");
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
}
