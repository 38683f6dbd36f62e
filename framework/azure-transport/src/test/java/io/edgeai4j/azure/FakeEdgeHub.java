package io.edgeai4j.azure;

import static org.awaitility.Awaitility.await;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Plays edgeHub for the SDK: an embedded Moquette broker with TLS on {@code 127.0.0.1:8883} (the port the
 * SDK always uses), plus a Paho client, the harness, that speaks edgeHub's side of the MQTT topics. It
 * records every telemetry, twin and method message a module publishes, answers twin GETs with
 * {@link #twinJson} and reported-property PATCHes with {@link #reportedStatus} (204, no version, like
 * edgeHub) unless told to leave some unanswered, and publishes inputs, desired patches and method calls.
 *
 * <p>Moquette gives {@code $}-prefixed topics no special treatment, so {@code $iothub/...} subscriptions and
 * publications work as on edgeHub. It keeps no state across {@link #stopBroker()} and
 * {@link #startBroker()}: persistence is off, like an edgeHub that restarted without its store.
 */
public final class FakeEdgeHub implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 8883;
  private static final String HARNESS_CLIENT_ID = "edgehub-harness";

  /** A message the harness received. */
  public record Publication(String topic, byte[] payload, int qos) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** What a client presented in CONNECT. */
  public record Credentials(String clientId, String username, String password) {}

  public final List<Publication> received = new CopyOnWriteArrayList<>();
  public final List<Credentials> connects = new CopyOnWriteArrayList<>();
  public final AtomicReference<String> twinJson = new AtomicReference<>("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
  public final AtomicInteger reportedStatus = new AtomicInteger(204);
  /** How many of the next twin requests (GET or reported PATCH) go unanswered, as if the answer were lost. */
  public final AtomicInteger twinRequestsToIgnore = new AtomicInteger();
  public final AtomicReference<Predicate<Credentials>> acceptCredentials = new AtomicReference<>(c -> true);

  private final TestPki pki;
  private final Map<String, CompletableFuture<Publication>> methodResponses = new ConcurrentHashMap<>();
  private final AtomicInteger requestIds = new AtomicInteger(0x10);
  private volatile Server broker;
  private volatile MqttAsyncClient harness;

  public FakeEdgeHub(TestPki pki) {
    this.pki = pki;
  }

  /** Starts the broker and connects the harness. */
  public FakeEdgeHub start() throws Exception {
    startBroker();
    return this;
  }

  /** Starts the broker, failing clearly when port 8883 is taken, then connects the harness. */
  public void startBroker() throws Exception {
    requirePortFree();
    Properties properties = new Properties();
    properties.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
    properties.setProperty(IConfig.PORT_PROPERTY_NAME, "disabled");
    properties.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(PORT));
    properties.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    properties.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    properties.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // edgeHub accepts 256 KiB messages; Moquette's default frame limit is 8 KiB.
    properties.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(1024 * 1024));
    Server server = new Server();
    SslContext tls = serverTls();
    IAuthenticator authenticator = (clientId, username, password) -> {
      Credentials credentials = new Credentials(clientId, username,
          password == null ? null : new String(password, StandardCharsets.UTF_8));
      connects.add(credentials);
      return acceptCredentials.get().test(credentials);
    };
    IAuthorizatorPolicy permitAll = new IAuthorizatorPolicy() {
      @Override
      public boolean canWrite(Topic topic, String user, String client) {
        return true;
      }

      @Override
      public boolean canRead(Topic topic, String user, String client) {
        return true;
      }
    };
    server.startServer(new MemoryConfig(properties), List.of(), () -> tls, authenticator, permitAll);
    broker = server;
    try {
      connectHarness();
    } catch (Exception | Error e) {
      // The caller gets no hub to close: release 8883 here, or every later test in this JVM finds it taken.
      broker = null;
      server.stopServer();
      throw e;
    }
  }

  /** Disconnects the harness and stops the broker; connected modules lose their connection. */
  public void stopBroker() {
    MqttAsyncClient client = harness;
    harness = null;
    if (client != null) {
      try {
        client.disconnectForcibly(0, 1000, false);
        client.close(true);
      } catch (MqttException e) {
        // The broker is going away anyway.
      }
    }
    Server server = broker;
    broker = null;
    if (server != null) {
      server.stopServer();
    }
  }

  /**
   * Closes a client's connection from the broker's side, as a network failure would; its session (subscriptions,
   * unacknowledged messages of a CleanSession=false client) stays.
   *
   * @return Whether the client was connected.
   */
  public boolean disconnectClient(String clientId) {
    Server server = broker;
    return server != null && server.disconnectClient(clientId);
  }

  @Override
  public void close() {
    stopBroker();
  }

  /** Returns the messages a module published on its events topic ({@code sendEvent}), oldest first. */
  public List<Publication> events(String deviceId, String moduleId) {
    String prefix = "devices/" + deviceId + "/modules/" + moduleId + "/messages/events/";
    return received.stream().filter(p -> p.topic().startsWith(prefix)).collect(Collectors.toList());
  }

  /** Returns the publications whose topic starts with the prefix, oldest first. */
  public List<Publication> receivedOn(String topicPrefix) {
    return received.stream().filter(p -> p.topic().startsWith(topicPrefix)).collect(Collectors.toList());
  }

  /**
   * Returns the property bag of an events topic as written on the wire, values still URL-encoded:
   * {@code devices/d/modules/m/messages/events/$.mid=1&$.on=out&k=v/} gives {@code {$.mid=1, $.on=out, k=v}}.
   */
  public static Map<String, String> wireProperties(String eventsTopic) {
    String bag = eventsTopic.substring(eventsTopic.indexOf("/messages/events/") + "/messages/events/".length());
    if (bag.endsWith("/")) {
      bag = bag.substring(0, bag.length() - 1);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    if (!bag.isEmpty()) {
      for (String pair : bag.split("&")) {
        int equals = pair.indexOf('=');
        properties.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return properties;
  }

  /** Publishes a message to a module input, at QoS 1 as edgeHub does, on the exact topic given. */
  public void publishInput(String topic, byte[] payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    requireHarness().publish(topic, message).waitForCompletion(5000);
  }

  /** Publishes a desired-properties patch, as edgeHub does when the deployment changes the twin. */
  public void publishDesiredPatch(long version, String patchJson) throws MqttException {
    MqttMessage message = new MqttMessage(patchJson.getBytes(StandardCharsets.UTF_8));
    message.setQos(0);
    requireHarness().publish("$iothub/twin/PATCH/properties/desired/?$version=" + version, message)
        .waitForCompletion(5000);
  }

  /**
   * Calls a direct method on the connected module and waits for its response.
   *
   * @return The response publication; its topic is {@code $iothub/methods/res/<status>/?$rid=<rid>}.
   */
  public Publication callMethod(String methodName, String payloadJson, long timeoutMillis) throws Exception {
    String rid = Integer.toHexString(requestIds.incrementAndGet());
    CompletableFuture<Publication> response = new CompletableFuture<>();
    methodResponses.put(rid, response);
    MqttMessage message = new MqttMessage(payloadJson.getBytes(StandardCharsets.UTF_8));
    message.setQos(0);
    requireHarness().publish("$iothub/methods/POST/" + methodName + "/?$rid=" + rid, message).waitForCompletion(5000);
    try {
      return response.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } finally {
      methodResponses.remove(rid);
    }
  }

  private MqttAsyncClient requireHarness() {
    MqttAsyncClient client = harness;
    if (client == null) {
      throw new IllegalStateException("The fake edgeHub is stopped");
    }
    return client;
  }

  private void connectHarness() throws Exception {
    MqttAsyncClient client = new MqttAsyncClient("ssl://" + HOST + ":" + PORT, HARNESS_CLIENT_ID,
        new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(pki.clientContext().getSocketFactory());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        // Only when the broker stops; stopBroker() expects it.
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        onHarnessMessage(client, topic, message);
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        // Nothing to track.
      }
    });
    try {
      client.connect(options).waitForCompletion(10_000);
      // Moquette 0.17 counts a connection as connected only once the write of its CONNACK has completed (a
      // listener on that write), and drops one whose SUBSCRIBE it reads before that ("SUBSCRIBE received on
      // already closed connection"): on a busy machine the harness's SUBSCRIBE can come first. The broker lists
      // the harness from that listener on.
      Server server = broker;
      await().atMost(Duration.ofSeconds(10)).until(() -> server.listConnectedClients().stream()
          .anyMatch(connected -> HARNESS_CLIENT_ID.equals(connected.getClientID())));
      client.subscribe(new String[] {"devices/+/modules/+/messages/events/#", "$iothub/twin/#",
          "$iothub/methods/res/#"}, new int[] {1, 1, 1}).waitForCompletion(10_000);
    } catch (Exception | Error e) {
      try {
        client.disconnectForcibly(0, 1000, false);
        client.close(true);
      } catch (MqttException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    harness = client;
  }

  private void onHarnessMessage(MqttAsyncClient client, String topic, MqttMessage message) {
    Publication publication = new Publication(topic, message.getPayload(), message.getQos());
    received.add(publication);
    try {
      boolean twinRequest = topic.startsWith("$iothub/twin/GET/")
          || topic.startsWith("$iothub/twin/PATCH/properties/reported/");
      if (twinRequest && twinRequestsToIgnore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return;
      }
      if (topic.startsWith("$iothub/twin/GET/")) {
        reply(client, "$iothub/twin/res/200/?$rid=" + requestId(topic), twinJson.get().getBytes(StandardCharsets.UTF_8));
      } else if (topic.startsWith("$iothub/twin/PATCH/properties/reported/")) {
        reply(client, "$iothub/twin/res/" + reportedStatus.get() + "/?$rid=" + requestId(topic), new byte[0]);
      } else if (topic.startsWith("$iothub/methods/res/")) {
        CompletableFuture<Publication> waiting = methodResponses.get(requestId(topic));
        if (waiting != null) {
          waiting.complete(publication);
        }
      }
    } catch (MqttException e) {
      throw new IllegalStateException("The fake edgeHub could not answer " + topic, e);
    }
  }

  /** Publishes a twin response at QoS 0, without waiting: this runs on Paho's callback thread. */
  private static void reply(MqttAsyncClient client, String topic, byte[] payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(0);
    client.publish(topic, message);
  }

  private static String requestId(String topic) {
    int start = topic.indexOf("$rid=") + "$rid=".length();
    int end = topic.indexOf('&', start);
    return end < 0 ? topic.substring(start) : topic.substring(start, end);
  }

  private SslContext serverTls() throws SSLException {
    return SslContextBuilder.forServer(pki.serverKey, pki.serverCertificate, pki.caCertificate).build();
  }

  static void requirePortFree() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(HOST, PORT));
    } catch (IOException e) {
      String network = System.getenv().getOrDefault("EDGEAI4J_TEST_NETWORK",
          "host network: the JVM was not started by src/test/netns/bin/java");
      throw new IllegalStateException("Port " + PORT + " on " + HOST + " is not free (" + e + "). The Azure IoT device"
          + " SDK connects to edgeHub on ssl://<GatewayHostName>:8883 and does not let the port be changed, so these"
          + " tests listen on 8883 themselves. This test JVM's network: " + network + ". Either let the build run"
          + " its tests in a network namespace of their own (it needs unshare(1) and ip(8), and root or unprivileged"
          + " user namespaces, e.g. sysctl kernel.unprivileged_userns_clone=1; and EDGEAI4J_TEST_NETNS not 'off'),"
          + " or stop what listens on 8883 on this host (ss -ltnp 'sport = :8883') and run the tests again.", e);
    }
  }
}
