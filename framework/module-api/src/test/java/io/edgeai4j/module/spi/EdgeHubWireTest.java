package io.edgeai4j.module.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeHubWireTest {
  @ParameterizedTest(name = "contentType={0} contentEncoding={1} -> {2}")
  @CsvSource(nullValues = "-", value = {
    "application/json,                -,      utf-8",
    "APPLICATION/JSON; charset=utf-8, -,      utf-8",
    "application/json,                utf-16, utf-16",
    "text/plain,                      -,      -",
    "-,                               -,      -",
  })
  void aJsonContentTypeWithoutEncodingGetsUtf8(String type, String encoding, String expected) {
    EdgeMessage sent = EdgeMessage.builder().body("{}".getBytes(StandardCharsets.UTF_8))
        .contentType(type).contentEncoding(encoding).build();
    assertThat(EdgeHubWire.asReceivedByEdgeHub(sent).contentEncoding().orElse(null)).isEqualTo(expected);
  }

  @Test
  void nullAndEmptyPropertiesAndUncarriedSystemPropertiesDoNotTravel() {
    EdgeMessage sent = EdgeMessage.builder().jsonBody("{\"a\":1}")
        .property("kept", "v").property("empty", "").property("nothing", null)
        .messageId("m-1").correlationId("c-1")
        .systemProperty(SystemProperties.MESSAGE_SCHEMA, "schema-1")
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "spoofed")
        .build();
    EdgeMessage wire = EdgeHubWire.asReceivedByEdgeHub(sent);
    assertThat(wire.properties()).containsOnlyKeys("kept");
    assertThat(wire.systemProperties()).containsOnlyKeys(SystemProperties.CONTENT_TYPE,
        SystemProperties.CONTENT_ENCODING, SystemProperties.MESSAGE_ID, SystemProperties.CORRELATION_ID);
    assertThat(wire.bodyAsString()).isEqualTo("{\"a\":1}");
    assertThat(EdgeHubWire.systemPropertiesNotSent(sent)).containsExactly(SystemProperties.MESSAGE_SCHEMA);
  }

  @Test
  void aMessageThatTravelsAsItIsIsReturnedAsItIs() {
    EdgeMessage sent = EdgeMessage.json("{\"a\":1}").toBuilder().property("p", "v").build();
    assertThat(EdgeHubWire.asReceivedByEdgeHub(sent)).isSameAs(sent);
  }
}
