package io.edgeai4j.edgehub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.edgehub.identity.SasTokens;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.HubOptions;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamTarget;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A {@link LocalEdgeHub} (device {@code dev}, modules {@code sender} and {@code receiver}, one route from
 * {@code sender}'s output {@code out} to {@code receiver}'s input {@code in}, one from {@code out2} to {@code in2})
 * served by an {@link EdgeHubEndpoint}
 * on a loopback port, and Paho clients that trust its CA. Closes everything it made.
 */
public final class EndpointHarness implements AutoCloseable {
  public static final String DEVICE = "dev";
  public static final String HUB_HOST = "hub.localhost";
  public static final String ROUTE =
      "FROM /messages/modules/sender/outputs/out INTO BrokeredEndpoint(\"/modules/receiver/inputs/in\")";

  public final LocalEdgeHub hub;
  public final EdgeHubEndpoint endpoint;
  private final PrometheusRegistry registry;
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  /** Starts a hub and its endpoint on 127.0.0.1, port 0 unless the endpoint options say otherwise. */
  public static EndpointHarness start(Path state, Consumer<HubOptions.Builder> hubOptions,
      Consumer<EndpointOptions.Builder> endpointOptions) throws Exception {
    HubOptions.Builder hb = HubOptions.builder().deviceId(DEVICE)
        .module("sender", JsonNodeFactory.instance.objectNode())
        .module("receiver", JsonNodeFactory.instance.objectNode().put("threshold", 25))
        .upstream(new UpstreamTarget() {
          @Override
          public boolean offer(EdgeMessage message, String sourcePath) {
            throw new IllegalStateException("no route of the harness sends to $upstream");
          }

          @Override
          public String describe() {
            return "nowhere";
          }
        })
        .routes(List.of(new RouteSpec("toReceiver", Route.parse(ROUTE)),
            new RouteSpec("toReceiver2", Route.parse(ROUTE.replace("outputs/out ", "outputs/out2 ")
                .replace("inputs/in\"", "inputs/in2\"")))))
        .redeliveryDelay(Duration.ofMillis(50)).upstreamDrainTimeout(Duration.ZERO);
    hubOptions.accept(hb);
    PrometheusRegistry registry = new PrometheusRegistry();
    LocalEdgeHub hub = new LocalEdgeHub(hb.build(), registry);
    EndpointOptions.Builder eb = EndpointOptions.builder().stateDirectory(state)
        .mqttAddress(new InetSocketAddress("127.0.0.1", 0)).iotHubHostName(HUB_HOST);
    endpointOptions.accept(eb);
    try {
      return new EndpointHarness(hub, EdgeHubEndpoint.start(hub, eb.build(), registry), registry);
    } catch (Exception e) {
      hub.close();
      throw e;
    }
  }

  private EndpointHarness(LocalEdgeHub hub, EdgeHubEndpoint endpoint, PrometheusRegistry registry) {
    this.hub = hub;
    this.endpoint = endpoint;
    this.registry = registry;
  }

  /** Returns the registry the hub and the endpoint register in. */
  public PrometheusRegistry metrics() {
    return registry;
  }

  /** Returns the MQTT server URI, {@code ssl://127.0.0.1:<port>}. */
  public String serverUri() {
    return "ssl://127.0.0.1:" + endpoint.mqttAddress().getPort();
  }

  /** Returns connect options as the SDK sets them: CleanSession=false, the module's SAS token, the CA trusted. */
  public MqttConnectOptions options(String moduleId) throws Exception {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(false);
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval(60);
    o.setUserName(HUB_HOST + "/" + DEVICE + "/" + moduleId + "/?api-version=2020-09-30");
    o.setPassword(token(endpoint.keys().key(moduleId), moduleId, Instant.now().plusSeconds(3600)).toCharArray());
    o.setSocketFactory(trustingCa().getSocketFactory());
    return o;
  }

  /** Returns a SAS token for a module. */
  public static String token(byte[] key, String moduleId, Instant expiry) {
    return SasTokens.create(key, HUB_HOST + "/devices/" + DEVICE + "/modules/" + moduleId, expiry);
  }

  /** Returns an SSL context that trusts the endpoint's CA. */
  public SSLContext trustingCa() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("edge-ca", CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(endpoint.certificates().caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** Returns a new, unconnected Paho client with the module's client id; closed with the harness. */
  public MqttAsyncClient client(String moduleId) throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(serverUri(), DEVICE + "/" + moduleId, new MemoryPersistence());
    clients.add(c);
    return c;
  }

  /** Returns a client connected with good credentials. */
  public MqttAsyncClient connect(String moduleId) throws Exception {
    MqttAsyncClient c = client(moduleId);
    c.connect(options(moduleId)).waitForCompletion(10_000);
    return c;
  }

  /** Returns a counter or gauge value, 0 when the series does not exist. */
  public double metric(String name, String... labels) {
    String family = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    Labels wanted = Labels.of(labels);
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(family)) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (point.getLabels().equals(wanted)) {
          if (point instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            return c.getValue();
          }
          if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            return g.getValue();
          }
        }
      }
    }
    return 0;
  }

  @Override
  public void close() {
    endpoint.close();   // closes every connection from the server side, so the clients need not wait for one
    for (MqttAsyncClient c : clients) {
      try {
        if (c.isConnected()) {
          c.disconnectForcibly(0, 100, false);
        }
        c.close(true);
      } catch (Exception e) {
        // already gone
      }
    }
    hub.close();
  }
}
