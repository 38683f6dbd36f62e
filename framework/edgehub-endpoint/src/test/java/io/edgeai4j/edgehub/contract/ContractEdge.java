package io.edgeai4j.edgehub.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.edgehub.EdgeHubEndpoint;
import io.edgeai4j.edgehub.EndpointOptions;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.HubOptions;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The system under test of the contract suite: a {@link LocalEdgeHub} with the contract's modules, routes and
 * twins, served by an {@link EdgeHubEndpoint} on {@code 127.0.0.1:8883}, the port the Azure IoT device SDK
 * always connects to. The test JVM runs in a network namespace of its own where the machine allows one
 * (src/test/netns/bin/java, {@code EDGEAI4J_TEST_NETWORK} says which); where 8883 cannot be bound,
 * {@link #start} fails saying why instead of skipping.
 *
 * <p>Modules: {@value #SENDER} and {@value #RECEIVER}. Routes: {@code sender/outputs/out} to
 * {@code receiver/inputs/in}; {@code sender/outputs/json} to {@code receiver/inputs/hot} when
 * {@code $body.temperature > 30}. The receiver's desired properties: {@code {"threshold": 30}}.
 *
 * <p>Owned by one test; {@link #close()} closes the endpoint, then the hub. Not thread-safe.
 */
final class ContractEdge implements AutoCloseable {
  static final String DEVICE = "contract-device";
  static final String SENDER = "sender";
  static final String RECEIVER = "receiver";
  static final String HOST = "127.0.0.1";
  /** The connection strings' {@code HostName} (the SDK refuses one without a dot), the audience of SAS tokens. */
  static final String IOT_HUB = "contract-hub.azure-devices.net";
  static final int SDK_PORT = 8883;
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path stateDirectory;
  private final Path storeDirectory;
  private final UpstreamWriter upstream;
  private volatile LocalEdgeHub hub;
  private volatile EdgeHubEndpoint endpoint;

  private ContractEdge(Path stateDirectory, Path storeDirectory, UpstreamWriter upstream, LocalEdgeHub hub) {
    this.stateDirectory = stateDirectory;
    this.storeDirectory = storeDirectory;
    this.upstream = upstream;
    this.hub = hub;
  }

  /**
   * Starts the hub and the endpoint.
   *
   * @param directory A fresh directory (a {@code @TempDir}): the endpoint's state and the hub's upstream file.
   */
  static ContractEdge start(Path directory) throws IOException {
    UpstreamWriter upstream = new UpstreamWriter(directory.resolve("upstream.jsonl"), System.out);
    Path store = directory.resolve("hub-store");
    LocalEdgeHub hub = new LocalEdgeHub(hubOptions(upstream, store), new PrometheusRegistry());
    ContractEdge edge = new ContractEdge(directory.resolve("endpoint-state"), store, upstream, hub);
    try {
      edge.startEndpoint();
    } catch (IOException | RuntimeException e) {
      edge.close();
      throw e;
    }
    return edge;
  }

  /** The hub as {@code edge run --mqtt} makes it: its queues in a store on disk ({@code <state>/store} there). */
  static HubOptions hubOptions(UpstreamWriter upstream, Path storeDirectory) {
    ObjectNode desired = JSON.createObjectNode().put("threshold", 30);
    return HubOptions.builder()
        .deviceId(DEVICE)
        .module(SENDER, JSON.createObjectNode())
        .module(RECEIVER, desired)
        .routes(routes(
            "FROM /messages/modules/sender/outputs/out INTO BrokeredEndpoint(\"/modules/receiver/inputs/in\")",
            "FROM /messages/modules/sender/outputs/json WHERE $body.temperature > 30"
                + " INTO BrokeredEndpoint(\"/modules/receiver/inputs/hot\")"))
        .upstream(upstream)
        .storeDirectory(storeDirectory)
        .redeliveryDelay(Duration.ofMillis(50))
        .cleanupInterval(Duration.ofMillis(200))
        .build();
  }

  private static List<RouteSpec> routes(String... texts) {
    List<RouteSpec> specs = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      try {
        specs.add(new RouteSpec("route" + i, Route.parse(texts[i])));
      } catch (RouteException e) {
        throw new IllegalArgumentException(texts[i], e);
      }
    }
    return specs;
  }

  /** Starts (or starts again, after {@link #stopEndpoint()}) the endpoint on the same state directory. */
  void startEndpoint() throws IOException {
    requireSdkPortFree();
    EndpointOptions options = EndpointOptions.builder()
        .stateDirectory(stateDirectory)
        .mqttAddress(new InetSocketAddress(HOST, SDK_PORT))
        .iotHubHostName(IOT_HUB)
        .workloadAddress(new InetSocketAddress(HOST, 0))
        .messageAckTimeout(Duration.ofSeconds(5))
        .build();
    // A registry per start: the endpoint registers its metrics afresh each time.
    endpoint = EdgeHubEndpoint.start(hub, options, new PrometheusRegistry());
  }

  /** Closes the endpoint (every client is disconnected); the hub keeps its queues. */
  void stopEndpoint() {
    EdgeHubEndpoint current = endpoint;
    endpoint = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Stops everything, as {@code edge run} stops (the endpoint, then the hub, whose queued messages stay in its store),
   * and starts a new hub on the same store and the endpoint on the same state directory, as the next
   * {@code edge run --mqtt} does.
   */
  void restartAll() throws IOException {
    stopEndpoint();
    hub.close();
    hub = new LocalEdgeHub(hubOptions(upstream, storeDirectory), new PrometheusRegistry());
    startEndpoint();
  }

  LocalEdgeHub hub() {
    return hub;
  }

  EdgeHubEndpoint endpoint() {
    EdgeHubEndpoint current = endpoint;
    if (current == null) {
      throw new IllegalStateException("the endpoint is stopped");
    }
    return current;
  }

  /** {@code EdgeHubConnectionString} and {@code EdgeModuleCACertificateFile} for a module. */
  Map<String, String> connectionEnvironment(String moduleId) {
    return endpoint().connectionStringEnvironment(moduleId);
  }

  @Override
  public void close() {
    try {
      stopEndpoint();
    } finally {
      hub.close();
      try {
        upstream.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Fails, naming the network the JVM runs in, when 127.0.0.1:8883 cannot be bound: the SDK cannot be told
   * another port, so the suite cannot run and must not pass.
   */
  static void requireSdkPortFree() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), SDK_PORT));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind " + HOST + ":" + SDK_PORT + ", the port the Azure IoT device SDK"
          + " always connects to (" + e.getMessage() + "). This JVM runs in: "
          + System.getenv().getOrDefault("EDGEAI4J_TEST_NETWORK", "unknown network (EDGEAI4J_TEST_NETWORK unset:"
          + " not started by src/test/netns/bin/java)")
          + ". Free the port on the host, or allow network namespaces (unshare --net, as root or with user"
          + " namespaces).", e);
    }
  }
}
