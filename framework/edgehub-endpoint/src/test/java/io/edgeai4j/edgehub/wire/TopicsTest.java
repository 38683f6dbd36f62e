package io.edgeai4j.edgehub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsTest {

  @Test
  void writesTheRealEdgeHubCaptureOfAnInputDelivery() {
    EdgeMessage message = EdgeMessage.builder()
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "kgDebugEdgeDevice")
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "MessagePublisherModule")
        .systemProperty(SystemProperties.INPUT_NAME, "input")
        .systemProperty(SystemProperties.OUTPUT_NAME, "output1")
        .systemProperty(SystemProperties.ENQUEUED_TIME, "2026-12-07T12:00:00Z")
        .build();
    assertThat(Topics.input("kgDebugEdgeDevice", "RelayModule", "input", ModuleMessages.inputBag(message)))
        .isEqualTo("devices/kgDebugEdgeDevice/modules/RelayModule/inputs/input/"
            + "%24.cdid=kgDebugEdgeDevice&%24.cmid=MessagePublisherModule");
  }

  @Test
  void writesApplicationPropertiesFirstThenEverySystemPropertyEdgeHubSends() {
    EdgeMessage message = EdgeMessage.builder()
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "sensor")
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "dev 1")
        .systemProperty(SystemProperties.CREATION_TIME, "2026-12-07T12:00:00Z")
        .systemProperty(SystemProperties.MESSAGE_SCHEMA, "s+1")
        .jsonBody("{}")
        .systemProperty(SystemProperties.USER_ID, "u")
        .correlationId("c/1")
        .messageId("m&1")
        .property("Prop1", "a b")
        .property("unit", "°C")
        .build();
    assertThat(Topics.input("dev 1", "filter", "in", ModuleMessages.inputBag(message))).isEqualTo(
        "devices/dev 1/modules/filter/inputs/in/Prop1=a%20b&unit=%C2%B0C&%24.mid=m%261&%24.cid=c%2F1&%24.uid=u"
            + "&%24.ct=application%2Fjson&%24.ce=utf-8&%24.schema=s%2B1&%24.ctime=2026-12-07T12%3A00%3A00Z"
            + "&%24.cdid=dev%201&%24.cmid=sensor");
  }

  @Test
  void writesTwinAndMethodTopics() {
    assertThat(Topics.twinResponse(200, "1a", null)).isEqualTo("$iothub/twin/res/200/?$rid=1a");
    assertThat(Topics.twinResponse(204, "2", 7L)).isEqualTo("$iothub/twin/res/204/?$rid=2&$version=7");
    assertThat(Topics.desiredPatch(3)).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=3");
    assertThat(Topics.methodRequest("reset", "5")).isEqualTo("$iothub/methods/POST/reset/?$rid=5");
    assertThat(Topics.input("d", "m", "in", Map.of())).isEqualTo("devices/d/modules/m/inputs/in");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "devices/d1/modules/m1/messages/events/$.on=out/                | Event[deviceId=d1, moduleId=m1, bag={$.on=out}]",
      "devices/d1/modules/m1/messages/events/%24.on=out&a=b           | Event[deviceId=d1, moduleId=m1, bag={$.on=out, a=b}]",
      "devices/d1/modules/m1/messages/events/                         | Event[deviceId=d1, moduleId=m1, bag={}]",
      "devices/d1/modules/m1/messages/events                          | Event[deviceId=d1, moduleId=m1, bag={}]",
      "$iothub/twin/GET/?$rid=4                                       | TwinGet[rid=4]",
      "$iothub/twin/PATCH/properties/reported/?$rid=5                 | ReportedPatch[rid=5, version=null]",
      "$iothub/twin/PATCH/properties/reported/?$rid=5&$version=12     | ReportedPatch[rid=5, version=12]",
      "$iothub/methods/res/200/?$rid=6                                | MethodResponse[status=200, rid=6]",
      "$iothub/methods/res/504/?$rid=ab                               | MethodResponse[status=504, rid=ab]",
  })
  void parsesWhatAModulePublishes(String topic, String parsed) {
    assertThat(InboundTopic.parse(topic)).hasToString(parsed);
  }

  @Test
  void decodesWhatTheJavaSdkSendsOnAnOutput() {
    InboundTopic.Event event = (InboundTopic.Event) InboundTopic.parse("devices/d/modules/m/messages/events/"
        + "$.mid=m1&$.cid=c1&$.on=out1&$.cdid=d&$.cmid=m&$.ct=application%2Fjson&$.ce=utf-8"
        + "&$.ctime=2026-12-07T12%3A00%3A00Z&temp=21.5&note=a%20b%2Bc/");
    ModuleMessages.ModuleEvent decoded =
        ModuleMessages.decodeEvent(event.bag(), "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.outputName()).isEqualTo("out1");
    assertThat(decoded.message().systemProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        SystemProperties.MESSAGE_ID, "m1",
        SystemProperties.CORRELATION_ID, "c1",
        SystemProperties.CONTENT_TYPE, "application/json",
        SystemProperties.CONTENT_ENCODING, "utf-8",
        SystemProperties.CREATION_TIME, "2026-12-07T12:00:00Z"));
    assertThat(decoded.message().properties()).containsExactly(
        Map.entry("temp", "21.5"), Map.entry("note", "a b+c"));
    assertThat(decoded.message().bodyAsString()).isEqualTo("{}");
  }

  @Test
  void decodesTelemetryWithoutAnOutputName() {
    assertThat(ModuleMessages.decodeEvent(Map.of("a", "1"), new byte[0]).outputName()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "devices/d/modules/m/messages/devicebound/x          | is not one a module may publish to",
      "devices/d/messages/events/a=b                       | is not one a module may publish to",
      "devices//modules/m/messages/events/                 | is not one a module may publish to",
      "foo/bar                                             | is not one a module may publish to",
      "$iothub/twin/GET/                                   | expected ?$rid={rid}",
      "$iothub/twin/GET/?$version=1                        | has no $rid",
      "$iothub/methods/res/20/?$rid=1                      | has status '20'",
      "$iothub/methods/res/abc/?$rid=1                     | has status 'abc'",
      "$iothub/twin/PATCH/properties/reported/?$rid=1&$version=x | has $version 'x'",
      "devices/d/modules/m/messages/events/a=%G1           | bad escape",
  })
  void refusesTopicsNamingWhatWasFoundAndExpected(String topic, String message) {
    assertThatThrownBy(() -> InboundTopic.parse(topic))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("expected");
  }
}
