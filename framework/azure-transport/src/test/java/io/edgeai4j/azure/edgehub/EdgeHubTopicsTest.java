package io.edgeai4j.azure.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.EdgeHubWire;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topics and property bags, against the exact strings edgeHub and the SDK 2.5.0 write. */
class EdgeHubTopicsTest {
  private final EdgeHubTopics topics = new EdgeHubTopics("edge-device", "filter");

  /**
   * Input topics as edgeHub writes them (application properties first, then {@code %24.} system keys, no trailing
   * slash; see {@code MessageAddressConverterTest} and azure-iot-sdk-python#587), and as other writers do.
   * Columns: bag after {@code devices/edge-device/modules/filter/inputs/}, expected input name, expected
   * application properties and system properties ({@code k=v;k=v}, {@code k} alone = null value).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // edgeHub's order: application properties survive (the SDK 2.5.0 drops them).
      "input1/Prop1=Val1&Prop2=Val2&%24.cdid=Device1&%24.cmid=Module1 | input1 | Prop1=Val1;Prop2=Val2"
          + " | connectionDeviceId=Device1;connectionModuleId=Module1",
      // The real capture from azure-iot-sdk-python#587.
      "input/%24.cdid=kgDebugEdgeDevice&%24.cmid=MessagePublisherModule | input | "
          + " | connectionDeviceId=kgDebugEdgeDevice;connectionModuleId=MessagePublisherModule",
      // Every system key edgeHub sends, escaped as Uri.EscapeDataString escapes.
      "telemetry/unit=celsius&site=north%20hall&%24.mid=in-1&%24.cid=corr-9&%24.ct=application%2Fjson&%24.ce=utf-8"
          + "&%24.schema=temp-v1&%24.ctime=2024-05-01T12%3A00%3A00Z&%24.cdid=dev&%24.cmid=sensor | telemetry"
          + " | unit=celsius;site=north hall | messageId=in-1;correlationId=corr-9;contentType=application/json;"
          + "contentEncoding=utf-8;messageSchema=temp-v1;creationTime=2024-05-01T12:00:00Z;connectionDeviceId=dev;"
          + "connectionModuleId=sensor",
      // Raw $. keys (as the SDK writes its own bags), a trailing slash, a key without '=' and reserved characters.
      "in2/$.mid=m%2B1&k&a%26b=c%3Dd%2F%C3%A9&$.on=out/ | in2 | k;a&b=c=d/\u00e9 | messageId=m+1;outputName=out",
      // A system key edgeai4j has no name for keeps its wire name; no bag at all.
      "in3/%24.to=%2Fdevices%2Fd%2Fmodules%2Fm&%24.exp=5 | in3 | | $.to=/devices/d/modules/m;$.exp=5",
      "bare | bare | | ",
  })
  void inputTopicKeepsEveryProperty(String bag, String inputName, String properties, String system) {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    EdgeHubTopics.Input input = topics.parseInput("devices/edge-device/modules/filter/inputs/" + bag, body);

    assertThat(input.inputName()).isEqualTo(inputName);
    assertThat(input.message().body()).isEqualTo(body);
    assertThat(input.message().properties()).containsExactlyEntriesOf(pairs(properties));
    Map<String, String> expectedSystem = pairs(system);
    expectedSystem.put(SystemProperties.INPUT_NAME, inputName);
    assertThat(input.message().systemProperties()).containsExactlyInAnyOrderEntriesOf(expectedSystem);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "devices/edge-device/modules/other/inputs/in/%24.cdid=d | is not an input topic",
      "devices/edge-device/modules/filter/inputs//%24.cdid=d | names no input",
      "devices/edge-device/modules/filter/inputs/in/k=%zz | not URL-encoded",
  })
  void badInputTopicsAreNamed(String topic, String problem) {
    assertThatThrownBy(() -> topics.parseInput(topic, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("devices/edge-device/modules/filter/inputs/");
  }

  /**
   * The events topic as the SDK 2.5.0 writes it for {@code sendEventAsync(message, output)} (golden strings as
   * {@code AzureModuleTransportTest} captures them from the SDK): system keys raw in the SDK's order, values and
   * application keys URL-encoded with {@code %20}, null or empty application values left out, a trailing slash.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "json | alerts | devices/edge-device/modules/filter/messages/events/$.mid=m-1&$.on=alerts&$.cdid=edge-device"
          + "&$.cmid=filter&$.ce=utf-8&$.ct=application%2Fjson&severity=high/",
      "all | scored | devices/edge-device/modules/filter/messages/events/$.mid=msg-1&$.cid=corr-1&$.uid=user%201"
          + "&$.on=scored&$.cdid=edge-device&$.cmid=filter&$.ce=utf-8&$.ct=application%2Fjson"
          + "&$.ctime=2024-05-01T12%3A00%3A00Z&note=a%20b%26c%3Dd%2F%C3%A9&a%20key=1%2B1/",
      "text | out | devices/edge-device/modules/filter/messages/events/$.mid=t-1&$.on=out&$.cdid=edge-device"
          + "&$.cmid=filter&$.ce=utf-8&$.ct=text%2Fplain/",
  })
  void eventsTopicIsWrittenAsTheSdkWritesIt(String kind, String output, String expected) {
    EdgeMessage message = switch (kind) {
      case "json" -> EdgeMessage.json("{\"t\":1}").toBuilder().messageId("m-1").property("severity", "high")
          .property("unset", null).property("empty", "").build();
      case "all" -> EdgeMessage.builder().body(new byte[] {1}).contentType("application/json").messageId("msg-1")
          .correlationId("corr-1").systemProperty(SystemProperties.USER_ID, "user 1")
          .systemProperty(SystemProperties.CREATION_TIME, "2024-05-01T12:00:00Z")
          .property("note", "a b&c=d/\u00e9").property("a key", "1+1").build();
      default -> EdgeMessage.text("hello").toBuilder().messageId("t-1").build();
    };

    assertThat(topics.eventsTopic(output, EdgeHubWire.asReceivedByEdgeHub(message))).isEqualTo(expected);
  }

  @Test
  void aMessageWithoutIdGetsARandomOneAsFromTheSdk() {
    String topic = topics.eventsTopic("out", EdgeMessage.text("x"));

    assertThat(topic).matches("devices/edge-device/modules/filter/messages/events/\\$\\.mid=[0-9a-f-]{36}&\\$\\.on=out.*/");
  }

  @Test
  void whatItWritesItReadsBack() {
    EdgeMessage sent = EdgeMessage.json("{\"t\":1}").toBuilder().messageId("id 1").correlationId("c&1")
        .property("k=1", "v/&%").property("\u00e9", "\u00fc").build();
    String events = topics.eventsTopic("out", EdgeHubWire.asReceivedByEdgeHub(sent));
    String bag = events.substring(events.indexOf("/events/") + 8);

    EdgeMessage received = topics.parseInput("devices/edge-device/modules/filter/inputs/in/" + bag, sent.body())
        .message();

    assertThat(received.properties()).isEqualTo(sent.properties());
    assertThat(received.messageId()).isEqualTo(sent.messageId());
    assertThat(received.correlationId()).isEqualTo(sent.correlationId());
    assertThat(received.contentType()).isEqualTo(sent.contentType());
    assertThat(received.systemProperties()).containsEntry(SystemProperties.OUTPUT_NAME, "out");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "$iothub/twin/res/200/?$rid=1f | $rid | 1f",
      "$iothub/twin/res/204/?$rid=a&$version=7 | $version | 7",
      "$iothub/twin/PATCH/properties/desired/?$version=12 | $version | 12",
      "$iothub/methods/POST/reboot/?$rid=2 | $rid | 2",
      "$iothub/methods/POST/reboot/ | $rid | ",
  })
  void topicParametersAreRead(String topic, String name, String expected) {
    assertThat(EdgeHubTopics.parameter(topic, name)).isEqualTo(expected);
  }

  private static Map<String, String> pairs(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return map;
    }
    for (String pair : text.split(";")) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        map.put(pair.trim(), null);
      } else {
        map.put(pair.substring(0, equals).trim(), pair.substring(equals + 1));
      }
    }
    return map;
  }
}
