package io.edgeai4j.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointOptionsTest {

  @Test
  void hasEdgeHubsDefaults() {
    EndpointOptions o = EndpointOptions.builder().stateDirectory(Path.of("state")).build();
    assertThat(o.mqttAddress().getPort()).isEqualTo(8883);
    assertThat(o.mqttAddress().getHostString()).isEqualTo("127.0.0.1");
    assertThat(o.gatewayHostName()).isEqualTo("localhost");
    assertThat(o.iotHubHostName()).isEqualTo("edgeai4j.localhost");
    assertThat(o.workloadAddress().getPort()).isZero();
    assertThat(o.messageAckTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.maxInflightPerModule()).isEqualTo(16);
    assertThat(o.extraServerNames()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "state          |                     | stateDirectory is required",
      "iotHubHostName | localhost           | found 'localhost', expected e.g. edgeai4j.localhost",
      "iotHubHostName | my hub.example      | without spaces; found 'my hub.example'",
      "gateway        | ''                  | gatewayHostName must be a host name",
      "extra          | a b                 | extraServerNames must be a host name or IP literal without spaces; found 'a b'",
      "ackTimeout     | PT0S                | messageAckTimeout must be positive; found PT0S",
      "inflight       | 0                   | maxInflightPerModule must be 1 to 65535 (MQTT packet ids); found 0",
      "inflight       | 65536               | found 65536",
  })
  void refusesBadValuesNamingWhatWasFound(String field, String value, String message) {
    EndpointOptions.Builder b = EndpointOptions.builder().stateDirectory(Path.of("state"));
    switch (field) {
      case "state" -> b.stateDirectory(null);
      case "iotHubHostName" -> b.iotHubHostName(value);
      case "gateway" -> b.gatewayHostName(value);
      case "extra" -> b.extraServerNames(List.of(value));
      case "ackTimeout" -> b.messageAckTimeout(Duration.parse(value));
      case "inflight" -> b.maxInflightPerModule(Integer.parseInt(value));
      default -> throw new IllegalArgumentException(field);
    }
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
