package io.edgeai4j.edgehub.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** Records what a Paho client receives and whether it lost its connection. Thread-safe. */
class Recorder implements MqttCallback {
  /** One received PUBLISH. */
  record Received(String topic, MqttMessage message) {
    String body() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> lost = new AtomicReference<>();

  @Override
  public void connectionLost(Throwable cause) {
    lost.set(cause);
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    received.add(new Received(topic, message));
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {}

  /** Makes this the client's callback and connects the client (waiting up to 10 s); returns this. */
  Recorder connect(MqttAsyncClient client, MqttConnectOptions options) throws MqttException {
    client.setCallback(this);
    client.connect(options).waitForCompletion(10_000);
    return this;
  }

  List<Received> on(String topicPrefix) {
    return received.stream().filter(r -> r.topic().startsWith(topicPrefix)).toList();
  }
}
