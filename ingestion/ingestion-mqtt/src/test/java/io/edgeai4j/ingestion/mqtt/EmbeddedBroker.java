package io.edgeai4j.ingestion.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Properties;
import javax.net.ssl.SSLException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A real MQTT broker for the tests: embedded Moquette on {@code 127.0.0.1}, plain TCP, a free port that
 * stays the same across {@link #stop()} and {@link #start()} (and, after {@link #withTls}, a TLS listener that
 * requires client certificates on a second port), and no persistence, so that a restart
 * forgets every session (as a broker restarted without its store does). Accepts the user {@code user}
 * with password {@code secret}, and anonymous clients. Publishes through its own Paho client. Not
 * thread-safe: one test drives it.
 */
final class EmbeddedBroker implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final String USER = "user";
  static final String PASSWORD = "secret";

  private final int port;
  private int tlsPort;
  private SslContext tls;
  private Server server;
  private MqttClient publisher;

  EmbeddedBroker() {
    this.port = freePort();
  }

  String uri() {
    return "tcp://" + HOST + ":" + port;
  }

  /**
   * Adds a TLS listener (before {@link #start()}) with the broker's key and certificate chain, requiring a
   * client certificate signed by {@code clientCa}.
   */
  EmbeddedBroker withTls(PrivateKey key, X509Certificate[] chain, X509Certificate clientCa) throws SSLException {
    tls = SslContextBuilder.forServer(key, chain).trustManager(clientCa).clientAuth(ClientAuth.REQUIRE)
        .sslProvider(SslProvider.JDK).build();
    tlsPort = freePort();
    return this;
  }

  /** The TLS listener's port. */
  int tlsPort() {
    return tlsPort;
  }

  EmbeddedBroker start() throws IOException {
    Properties properties = new Properties();
    properties.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
    properties.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
    properties.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    properties.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    properties.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    IAuthenticator authenticator = (clientId, username, password) -> username == null
        || (username.equals(USER) && password != null
            && new String(password, StandardCharsets.UTF_8).equals(PASSWORD));
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
    if (tls != null) {
      properties.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, Integer.toString(tlsPort));
    }
    Server started = new Server();
    SslContext sslContext = tls;
    started.startServer(new MemoryConfig(properties), List.of(), tls == null ? null : () -> sslContext,
        authenticator, permitAll);
    server = started;
    return this;
  }

  /** Stops the broker; connected clients lose their connection. */
  void stop() {
    closePublisher();
    if (server != null) {
      server.stopServer();
      server = null;
    }
  }

  /** Drops a client's connection, as a network failure would, keeping its session. */
  boolean dropConnectionOf(String clientId) {
    return server.disconnectClient(clientId);
  }

  /**
   * Whether the broker holds a connection of the client. A client's DISCONNECT is handled on the broker's own
   * threads some time after the client sent it; until then a message for the client goes to that connection.
   */
  boolean isConnected(String clientId) {
    return server.listConnectedClients().stream().anyMatch(client -> client.getClientID().equals(clientId));
  }

  /** Publishes and waits until the broker has the message (QoS 1) or it was sent (QoS 0). */
  void publish(String topic, String payload, int qos) throws MqttException {
    publish(topic, payload, qos, false);
  }

  /** Publishes, retained or not, and waits until the broker has the message (QoS 1) or it was sent (QoS 0). */
  void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
    if (publisher == null || !publisher.isConnected()) {
      closePublisher();
      MqttClient client = new MqttClient(uri(), "test-publisher-" + port, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      client.connect(options);
      publisher = client;
    }
    publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
  }

  private void closePublisher() {
    if (publisher != null) {
      try {
        if (publisher.isConnected()) {
          publisher.disconnect(1_000);
        }
      } catch (MqttException e) {
        // The broker is going away.
      }
      try {
        publisher.close(true);
      } catch (MqttException e) {
        // Nothing more to release.
      }
      publisher = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(HOST, 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
