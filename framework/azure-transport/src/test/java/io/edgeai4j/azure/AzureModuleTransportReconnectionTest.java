package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * edgeHub goes away and comes back: the module keeps running, learns of both changes, and resumes with
 * telemetry, direct methods and desired properties, against a broker that lost all session state. Also:
 * a module that starts before edgeHub waits for it, and one that cannot trust edgeHub fails at once.
 */
class AzureModuleTransportReconnectionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DEVICE = AzureModuleTransportTest.DEVICE;
  static final String MODULE = AzureModuleTransportTest.MODULE;

  @Test
  void openWaitsForAnEdgeHubThatIsNotUpYet(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    RecordingListener listener = new RecordingListener();
    ModuleTransport transport = new AzureTransportProvider(AzureModuleTransportTest.testOptions()).create(Map.of(
        AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
        AzureTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString()));
    FakeEdgeHub hub = new FakeEdgeHub(pki);
    FakeEdgeHub.requirePortFree();
    try {
      CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> {
        try {
          transport.open(listener);
        } catch (TransportException e) {
          throw new IllegalStateException(e);
        }
      });
      // The SDK keeps retrying (logged by LoggingRetryPolicy) while nothing listens on 8883.
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> !opened.isDone());

      hub.startBroker();

      opened.get(20, TimeUnit.SECONDS);
      assertThat(listener.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);
      transport.send("out", EdgeMessage.text("after-late-edgehub"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> hub.events(DEVICE, MODULE).stream().anyMatch(e -> e.text().equals("after-late-edgehub")));
    } finally {
      transport.close();
      hub.close();
    }
  }

  @Test
  void openFailsAtOnceWhenEdgeHubsCertificateIsNotTrusted(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    Path otherCa = TestPki.create().writeCaPem(temp);
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      ModuleTransport transport = new AzureTransportProvider(AzureModuleTransportTest.testOptions()).create(Map.of(
          AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
          AzureTransportProvider.CA_CERTIFICATE_FILE, otherCa.toString()));
      long start = System.nanoTime();

      // A TLS failure is not retryable for the SDK, so open() gives up at once instead of retrying for
      // reconnectTimeout (60 s here).
      assertThatThrownBy(() -> transport.open(new RecordingListener()))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("Cannot connect edge-device/filter to edgeHub")
          .hasMessageContaining("SSLHandshakeException")
          .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThatThrownBy(() -> transport.send("out", EdgeMessage.text("x")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      transport.close();
    }
  }

  @Test
  void inputAbandonedWhileClosingIsNotAcknowledgedAndEdgeHubDeliversItAgain(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      Map<String, String> env = Map.of(
          AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
          AzureTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString());
      AzureTransportProvider provider = new AzureTransportProvider(AzureModuleTransportTest.testOptions());
      RecordingListener stopping = new RecordingListener();
      stopping.inputHandler.set((input, message) -> MessageDisposition.ABANDON);
      ModuleTransport first = provider.create(env);
      first.open(stopping);
      hub.publishInput(AzureModuleTransportTest.INPUTS + "held/%24.mid=held-1&%24.cdid=" + DEVICE + "&%24.cmid=sensor",
          "held".getBytes(StandardCharsets.UTF_8));
      // An abandoned input is offered again while the transport is open...
      await().atMost(Duration.ofSeconds(10)).until(() -> stopping.inputs.size() >= 2);
      // ...and when the module stops, it is not acknowledged, so edgeHub keeps it for the next connection.
      first.close();

      RecordingListener restarted = new RecordingListener();
      ModuleTransport second = provider.create(env);
      try {
        second.open(restarted);
        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.inputs.stream()
            .anyMatch(i -> i.message().messageId().orElse("").equals("held-1")));
        assertThat(restarted.inputs.get(0).inputName()).isEqualTo("held");
      } finally {
        second.close();
      }
    }
  }

  @Test
  void survivesAnEdgeHubRestart(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    RecordingListener listener = new RecordingListener();
    AzureTransportOptions options = AzureModuleTransportTest.testOptions().toBuilder()
        .sendTimeout(Duration.ofSeconds(2))
        .build();
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      ModuleTransport transport = new AzureTransportProvider(options).create(Map.of(
          AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
          AzureTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString()));
      try {
        transport.open(listener);
        assertThat(listener.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);

        hub.stopBroker();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.lastStatus() == ConnectionStatus.DISCONNECTED_RETRYING);
        ConnectionStatusChange lost = listener.statusChanges.get(listener.statusChanges.size() - 1);
        assertThat(lost.reason()).isNotEqualTo(ConnectionStatusReason.CONNECTION_OK);

        // While edgeHub is away a send fails, retryably, after the send timeout; the message then expires in
        // the SDK's queue and is not delivered after the reconnection.
        assertThatThrownBy(() -> transport.send("out", EdgeMessage.text("sent-while-down")))
            .isInstanceOf(TransportException.class)
            .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());

        hub.startBroker();
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.lastStatus() == ConnectionStatus.CONNECTED);
        assertThat(listener.statuses()).containsSubsequence(
            ConnectionStatus.CONNECTED, ConnectionStatus.DISCONNECTED_RETRYING, ConnectionStatus.CONNECTED);

        transport.send("out", EdgeMessage.text("sent-after-restart"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.events(DEVICE, MODULE).stream()
            .anyMatch(e -> e.text().equals("sent-after-restart")));

        // The restarted broker has no session for the module: methods and desired patches arrive only
        // because the transport subscribed again on reconnection.
        FakeEdgeHub.Publication response = await().atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(() -> hub.callMethod("ping", "{\"n\":1}", 1000), r -> r != null);
        assertThat(response.topic()).startsWith("$iothub/methods/res/200/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          hub.publishDesiredPatch(12, "{\"threshold\":9,\"$version\":12}");
          assertThat(listener.desiredPatches).anyMatch(p -> p.path("$version").asInt() == 12);
        });
        assertThat(transport.getTwin().desiredVersion()).isEqualTo(1);
        assertThat(hub.events(DEVICE, MODULE)).noneMatch(e -> e.text().equals("sent-while-down"));
      } finally {
        transport.close();
      }

      int changesAtClose = listener.statusChanges.size();
      transport.close();
      assertThatThrownBy(() -> transport.send("out", EdgeMessage.text("after-close")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> transport.open(listener)).isInstanceOf(IllegalStateException.class);
      assertThat(listener.statusChanges).hasSize(changesAtClose);
      List<FakeEdgeHub.Publication> events = hub.events(DEVICE, MODULE);
      assertThat(events).noneMatch(e -> e.text().equals("after-close"));
    }
  }
}
