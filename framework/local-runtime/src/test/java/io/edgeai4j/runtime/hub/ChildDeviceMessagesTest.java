package io.edgeai4j.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteSpec;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a parent's hub makes of a message from a child device's edgeHub, as edgeHub 1.x does. */
class ChildDeviceMessagesTest {
  private record Upstreamed(EdgeMessage message, String sourcePath) {}

  private final List<Upstreamed> upstreamed = new CopyOnWriteArrayList<>();
  private LocalEdgeHub hub;

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  private LocalEdgeHub hub(String... routes) throws io.edgeai4j.routing.RouteException {
    UpstreamTarget target = new UpstreamTarget() {
      @Override
      public boolean offer(EdgeMessage message, String sourcePath) {
        upstreamed.add(new Upstreamed(message, sourcePath));
        return true;
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    HubOptions.Builder options = HubOptions.builder().deviceId("node").upstream(target)
        .upstreamDrainTimeout(Duration.ZERO);
    for (int i = 0; i < routes.length; i++) {
      options.routes(List.of(new RouteSpec("r" + i, Route.parse(routes[i]))));
    }
    hub = new LocalEdgeHub(options.build(), new PrometheusRegistry());
    return hub;
  }

  /** A message as it leaves the child's $upstream store: the child hub's stamps on it. */
  private static EdgeMessage fromChild(int bodyBytes) {
    return EdgeMessage.builder().jsonBody("\"" + "x".repeat(bodyBytes) + "\"")
        .property("sequenceNumber", "7")
        .correlationId("req-1")
        .messageId("m-1")
        .systemProperty(SystemProperties.MESSAGE_SCHEMA, "reading")
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "sensor")
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "tempSensor")
        .systemProperty(SystemProperties.OUTPUT_NAME, "temperatureOutput")
        .systemProperty(SystemProperties.ENQUEUED_TIME, "2020-01-01T00:00:00Z")
        .build();
  }

  @Test
  void arrivesAsAMessageOfTheChildsModuleWithoutItsOutputName() throws Exception {
    hub("FROM /messages/modules/tempSensor/outputs/* INTO $upstream",
        "FROM /messages/modules/tempSensor/* WHERE $connectionDeviceId = 'sensor' AND NOT IS_DEFINED($outputName)"
            + " INTO $upstream");
    hub.publishFromChildDevice(fromChild(10));

    await().atMost(Duration.ofSeconds(5)).until(() -> upstreamed.size() == 1);
    Upstreamed got = upstreamed.get(0);
    assertThat(got.sourcePath()).isEqualTo("/messages/modules/tempSensor/");
    Map<String, String> system = got.message().systemProperties();
    assertThat(system.keySet()).containsExactlyInAnyOrder(SystemProperties.CONTENT_TYPE,
        SystemProperties.CONTENT_ENCODING, SystemProperties.CORRELATION_ID, SystemProperties.MESSAGE_ID,
        SystemProperties.MESSAGE_SCHEMA, SystemProperties.CONNECTION_DEVICE_ID, SystemProperties.CONNECTION_MODULE_ID,
        SystemProperties.ENQUEUED_TIME);
    assertThat(system).containsEntry(SystemProperties.CONNECTION_DEVICE_ID, "sensor")
        .containsEntry(SystemProperties.CONNECTION_MODULE_ID, "tempSensor")
        .containsEntry(SystemProperties.CORRELATION_ID, "req-1")
        .containsEntry(SystemProperties.MESSAGE_ID, "m-1");
    assertThat(system.get(SystemProperties.ENQUEUED_TIME)).as("the parent's own").isNotEqualTo("2020-01-01T00:00:00Z");
    assertThat(got.message().properties()).containsEntry("sequenceNumber", "7");
    await().during(Duration.ofMillis(200)).until(() -> upstreamed.size() == 1);
  }

  @Test
  void refusesForGoodAMessageWithoutIdentityOrTooLarge() throws Exception {
    hub("FROM /messages/* INTO $upstream");
    EdgeMessage anonymous = EdgeMessage.builder().jsonBody("1").build();
    assertThatThrownBy(() -> hub.publishFromChildDevice(anonymous)).isInstanceOf(TransportException.class)
        .hasMessageContaining("no connectionDeviceId")
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
    assertThatThrownBy(() -> hub.publishFromChildDevice(fromChild(EdgeMessage.MAX_SIZE_BYTES)))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("a message from device 'sensor' is ").hasMessageContaining("over edgeHub's limit of")
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
  }

  @Test
  void aClosedHubRefusesForNowSoTheLinkKeepsTheMessage() throws Exception {
    hub("FROM /messages/* INTO $upstream").close();
    assertThatThrownBy(() -> hub.publishFromChildDevice(fromChild(10))).isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
  }
}
