package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message record: defaults, copies and equality. */
class RoutingMessageTest {
  @Test
  void defaultsNullsAndCopiesTheMaps() {
    Map<String, String> properties = new HashMap<>();
    properties.put("a", null);
    RoutingMessage message = new RoutingMessage("/messages/", properties, null, null);
    properties.put("b", "later");

    assertThat(message.properties()).containsOnlyKeys("a").containsEntry("a", null);
    assertThat(message.systemProperties()).isEmpty();
    assertThat(message.body()).isEmpty();
    assertThatThrownBy(() -> message.properties().put("c", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsANullSourcePathOrPropertyName() {
    Map<String, String> properties = new HashMap<>();
    properties.put(null, "x");

    assertThatThrownBy(() -> new RoutingMessage(null, null, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RoutingMessage("/messages/", properties, null, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void comparesBodiesByContent() {
    RoutingMessage a = new RoutingMessage("/messages/", null, null, new byte[] {1, 2});
    RoutingMessage b = new RoutingMessage("/messages/", null, null, new byte[] {1, 2});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new RoutingMessage("/messages/", null, null, new byte[] {1}));
    assertThat(a.toString()).contains("body=2 bytes");
  }

  @Test
  void conditionsLookPropertiesUpIgnoringCase() throws RouteException {
    RoutingMessage message =
        new RoutingMessage(
            "/messages/", Map.of("Temperature", "30"), Map.of("MessageId", "m-1"), null);

    assertThat(Fixtures.evaluate("TEMPERATURE = '30' AND $messageid = 'm-1'", message))
        .isEqualTo(TriState.TRUE);
  }

  @Test
  void triStateNamesItsJsonForm() {
    assertThat(TriState.TRUE.jsonName()).isEqualTo("true");
    assertThat(TriState.FALSE.jsonName()).isEqualTo("false");
    assertThat(TriState.UNDEFINED.jsonName()).isEqualTo("undefined");
    assertThat(TriState.of(true)).isEqualTo(TriState.TRUE);
    assertThat(TriState.of(false)).isEqualTo(TriState.FALSE);
  }
}
