package io.edgeai4j.azure.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.azure.AzureTransportProvider;
import io.edgeai4j.azure.TestPki;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which environments the edgehub-mqtt provider accepts, and how it names what is missing or wrong. */
class EdgeHubMqttTransportProviderTest {
  static final String KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";
  static final String CONNECTION_STRING = "HostName=test-hub.azure-devices.net;GatewayHostName=127.0.0.1;"
      + "DeviceId=edge-device;ModuleId=filter;SharedAccessKey=" + KEY;

  @TempDir
  Path temp;

  private final EdgeHubMqttTransportProvider provider = new EdgeHubMqttTransportProvider();

  @Test
  void isListedBesideTheSdkProviderWithAHigherPriority() {
    List<String> names = ServiceLoader.load(ModuleTransportProvider.class).stream()
        .map(p -> p.get().name()).collect(Collectors.toList());

    assertThat(names).contains(EdgeHubMqttTransportProvider.NAME, AzureTransportProvider.NAME);
    assertThat(provider.name()).isEqualTo("edgehub-mqtt");
    assertThat(provider.priority()).isEqualTo(10);
  }

  /**
   * Environments as {@code KEY=VALUE,KEY=VALUE}; {@code CA} stands for a real CA file, {@code RUNTIME} for the seven
   * IoT Edge runtime variables. Expected: empty when available, else words of the reason.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nothing | | Not an IoT Edge module environment: neither EdgeHubConnectionString",
      "connection string + CA | CS,CA | ",
      "connection string without CA | CS | EdgeModuleCACertificateFile is missing",
      "CA file absent | CS,EdgeModuleCACertificateFile=/nonexistent/ca.pem | /nonexistent/ca.pem, which does not exist",
      "connection string lacking ids | EdgeHubConnectionString=HostName=h;SharedAccessKey=a2V5,CA"
          + " | EdgeHubConnectionString lacks GatewayHostName, DeviceId, ModuleId",
      "key not base64 | EdgeHubConnectionString=HostName=h;GatewayHostName=g;DeviceId=d;ModuleId=m;SharedAccessKey=%%%,CA"
          + " | SharedAccessKey that is not base64",
      "runtime | RUNTIME | ",
      "runtime over http | RUNTIME,IOTEDGE_WORKLOADURI=http://127.0.0.1:15580/ | ",
      "runtime without generation and gateway | RUNTIME,IOTEDGE_MODULEGENERATIONID=,IOTEDGE_GATEWAYHOSTNAME="
          + " | incomplete: missing IOTEDGE_MODULEGENERATIONID, IOTEDGE_GATEWAYHOSTNAME",
      "x509 | RUNTIME,IOTEDGE_AUTHSCHEME=x509 | IOTEDGE_AUTHSCHEME is 'x509'; edgehub-mqtt supports only sasToken",
      "ftp workload | RUNTIME,IOTEDGE_WORKLOADURI=ftp://x | expected a unix://, http:// or https:// URI",
      "port word | CS,CA,EDGEAI4J_MQTT_PORT=mqtts | EDGEAI4J_MQTT_PORT is 'mqtts', expected a port number from 1 to 65535",
      "port zero | CS,CA,EDGEAI4J_MQTT_PORT=0 | EDGEAI4J_MQTT_PORT is '0'",
      "other port | CS,CA,EDGEAI4J_MQTT_PORT=18883 | ",
      "window zero | CS,CA,EDGEAI4J_MQTT_MAX_INFLIGHT=0 | EDGEAI4J_MQTT_MAX_INFLIGHT is '0', expected a number from 1",
      "window 8 | CS,CA,EDGEAI4J_MQTT_MAX_INFLIGHT=8 | ",
  })
  void environmentTable(String name, String environment, String expected) throws Exception {
    String reason = provider.unavailableReason(environment(environment));

    if (expected == null) {
      assertThat(reason).isNull();
    } else {
      assertThat(reason).contains(expected);
    }
  }

  @Test
  void createsATransportFromTheEnvironmentMapWithoutConnecting() throws Exception {
    Map<String, String> env = environment("CS,CA,EDGEAI4J_MQTT_MAX_INFLIGHT=8");

    try (ModuleTransport transport = provider.create(env)) {
      assertThat(transport).isInstanceOf(EdgeHubMqttTransport.class);
      assertThat(transport.identity()).isEqualTo(new ModuleIdentity("edge-device", "filter"));
      assertThat(((EdgeHubMqttTransport) transport).options().maxInflight()).isEqualTo(8);
      assertThat(transport.toString()).contains("ssl://127.0.0.1:8883");
    }
  }

  @Test
  void unavailableEnvironmentIsRefusedByCreateWithTheSameReason() throws Exception {
    Map<String, String> env = environment("CS");
    assertThatThrownBy(() -> provider.create(env))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("EdgeModuleCACertificateFile is missing")
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
  }

  @Test
  void unreachableWorkloadApiIsRetryableAndNamed() throws Exception {
    Map<String, String> env = environment("RUNTIME,IOTEDGE_WORKLOADURI=unix://" + temp.resolve("none.sock"));

    assertThatThrownBy(() -> provider.create(env))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("The workload API at unix://" + temp.resolve("none.sock"))
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
  }

  @Test
  void optionsAreValidatedWithNamesAndValues() {
    assertThatThrownBy(() -> EdgeHubMqttOptions.builder().maxInflight(0).build())
        .hasMessage("maxInflight is 0, expected 1 to 65471");
    assertThatThrownBy(() -> EdgeHubMqttOptions.builder().tokenRenewal(1.0).build())
        .hasMessageContaining("tokenRenewal is 1.0");
    assertThatThrownBy(() -> EdgeHubMqttOptions.builder().sendTimeout(Duration.ZERO).build())
        .hasMessage("sendTimeout is PT0S, expected a positive duration");
    assertThatThrownBy(() -> EdgeHubMqttOptions.builder().connectTimeout(Duration.ofMillis(500)).build())
        .hasMessageContaining("connectTimeout is PT0.5S, expected at least PT1S");
  }

  private Map<String, String> environment(String spec) throws Exception {
    Map<String, String> env = new HashMap<>();
    if (spec == null) {
      return env;
    }
    for (String item : spec.split(",")) {
      switch (item) {
        case "CS" -> env.put("EdgeHubConnectionString", CONNECTION_STRING);
        case "CA" -> env.put("EdgeModuleCACertificateFile", TestPki.create().writeCaPem(temp).toString());
        case "RUNTIME" -> {
          env.put("IOTEDGE_WORKLOADURI", "unix://" + temp.resolve("workload.sock"));
          env.put("IOTEDGE_DEVICEID", "edge-device");
          env.put("IOTEDGE_MODULEID", "filter");
          env.put("IOTEDGE_MODULEGENERATIONID", "638000000000000001");
          env.put("IOTEDGE_IOTHUBHOSTNAME", "test-hub.azure-devices.net");
          env.put("IOTEDGE_GATEWAYHOSTNAME", "127.0.0.1");
          env.put("IOTEDGE_AUTHSCHEME", "sasToken");
        }
        default -> {
          int equals = item.indexOf('=');
          env.put(item.substring(0, equals), item.substring(equals + 1));
        }
      }
    }
    return env;
  }
}
