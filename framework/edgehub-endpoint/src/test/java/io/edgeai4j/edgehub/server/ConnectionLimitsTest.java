package io.edgeai4j.edgehub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.edgehub.EndpointHarness;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-module bound on inputs in flight, the keep-alive idle timeout and the SAS token's expiry. */
class ConnectionLimitsTest {
  @TempDir
  Path state;
  @AutoClose
  private EndpointHarness harness;

  @Test
  void sendsNoMoreInputsThanMaxInflightPerModuleBeforeThePubacks() throws Exception {
    harness = EndpointHarness.start(state, hub -> { }, endpoint -> endpoint.maxInflightPerModule(1));
    MqttAsyncClient receiver = harness.client("receiver");
    receiver.setManualAcks(true);
    Recorder inbox = new Recorder().connect(receiver, harness.options("receiver"));
    receiver.subscribe("devices/dev/modules/receiver/inputs/#", 1).waitForCompletion(10_000);
    MqttAsyncClient sender = harness.connect("sender");
    MqttMessage one = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
    one.setQos(1);
    sender.publish("devices/dev/modules/sender/messages/events/$.on=out", one).waitForCompletion(10_000);
    sender.publish("devices/dev/modules/sender/messages/events/$.on=out2", one).waitForCompletion(10_000);

    // Two inputs, two delivery threads, one slot: the second waits for the first PUBACK.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> inbox.received.size() == 1);
    MqttMessage first = inbox.received.get(0).message();
    receiver.messageArrivedComplete(first.getId(), first.getQos());
    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.received.size() == 2);
    assertThat(inbox.received.get(0).topic()).isNotEqualTo(inbox.received.get(1).topic());
  }

  @Test
  void closesAConnectionSilentForOneAndAHalfKeepAlives() throws Exception {
    harness = EndpointHarness.start(state, hub -> { }, endpoint -> { });
    try (SSLSocket socket = (SSLSocket) harness.trustingCa().getSocketFactory()
        .createSocket("127.0.0.1", harness.endpoint.mqttAddress().getPort())) {
      String password = EndpointHarness.token(harness.endpoint.keys().key("receiver"), "receiver",
          Instant.now().plusSeconds(600));
      socket.startHandshake();
      long start = System.nanoTime();
      socket.getOutputStream().write(connect("dev/receiver",
          EndpointHarness.HUB_HOST + "/dev/receiver/?api-version=2020-09-30", password, 1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] connack = in.readNBytes(4);
      assertThat(connack).containsExactly(0x20, 0x02, 0x00, 0x00);
      socket.setSoTimeout(10_000);
      assertThat(in.read()).isEqualTo(-1);   // closed by the endpoint, not by us
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      // The endpoint counts 1.5 keep-alives from the CONNECT it read, which is after start.
      assertThat(waitedMillis).isBetween(1_500L, 5_000L);
    }
    assertThat(harness.metric("edgeai4j_edgehub_connections_closed_total", "reason", "idle")).isEqualTo(1);
  }

  @Test
  void closesAConnectionWhenItsTokenExpires() throws Exception {
    harness = EndpointHarness.start(state, hub -> { }, endpoint -> { });
    MqttAsyncClient client = harness.client("receiver");
    Recorder recorder = new Recorder();
    client.setCallback(recorder);
    org.eclipse.paho.client.mqttv3.MqttConnectOptions options = harness.options("receiver");
    Instant expiry = Instant.now().plusSeconds(2);
    options.setPassword(EndpointHarness.token(harness.endpoint.keys().key("receiver"), "receiver", expiry)
        .toCharArray());
    client.connect(options).waitForCompletion(10_000);
    assertThat(client.isConnected()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.lost.get() != null);
    // SAS expiry is whole seconds, so the token may end up to a second before the instant asked for.
    assertThat(Instant.now()).isAfter(expiry.minusSeconds(1));
    assertThat(harness.metric("edgeai4j_edgehub_connections_closed_total", "reason", "token_expired")).isEqualTo(1);
  }

  /** An MQTT 3.1.1 CONNECT, CleanSession=false, with a user name and password. */
  private static byte[] connect(String clientId, String user, String password, int keepAliveSeconds)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeUTF("MQTT");
    out.writeByte(4);
    out.writeByte(0x80 | 0x40);
    out.writeShort(keepAliveSeconds);
    out.writeUTF(clientId);
    out.writeUTF(user);
    out.writeUTF(password);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int length = body.size();
    do {
      int digit = length % 128;
      length /= 128;
      packet.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    body.writeTo(packet);
    return packet.toByteArray();
  }
}
