package io.edgeai4j.benchmarks.edgehub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.edgehub.EdgeHubEndpoint;
import io.edgeai4j.edgehub.EndpointOptions;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.HubOptions;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load run through the edgeHub-compatible endpoint: a {@link LocalEdgeHub} with N sender modules, each routed
 * ({@code FROM /messages/modules/sender-i/outputs/out INTO BrokeredEndpoint("/modules/receiver-i/inputs/in")}) to
 * its own receiver, served by an {@link EdgeHubEndpoint} on {@code 127.0.0.1:8883} (the SDK's fixed port); N
 * receiving and N sending clients of the run's {@link LoadMode} connect over MQTT with TLS; the senders send M
 * messages each, all at once, and the run waits until every message has arrived once or nothing arrived for
 * {@link LoadSettings#idleTimeout()}. Everything is closed before {@link #run} returns.
 */
public final class EdgeHubLoad {
  static final String DEVICE = "load-device";
  static final int SDK_PORT = 8883;

  private EdgeHubLoad() {}

  /**
   * Runs once.
   *
   * @param settings The run.
   * @param directory An empty directory for the endpoint's state (keys, certificates) and the upstream file.
   * @param log Progress lines.
   */
  public static LoadResult run(LoadSettings settings, Path directory, PrintStream log) throws Exception {
    int n = settings.pairs();
    HubOptions.Builder hubOptions = HubOptions.builder().deviceId(DEVICE);
    List<RouteSpec> routes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hubOptions.module(sender(i), JsonNodeFactory.instance.objectNode());
      hubOptions.module(receiver(i), JsonNodeFactory.instance.objectNode());
      routes.add(route("pair" + i, "FROM /messages/modules/" + sender(i) + "/outputs/out"
          + " INTO BrokeredEndpoint(\"/modules/" + receiver(i) + "/inputs/in\")"));
    }
    LoadTally tally = new LoadTally(n);
    AtomicLong failures = new AtomicLong();
    List<LoadClient> clients = new ArrayList<>();
    ExecutorService senders = Executors.newFixedThreadPool(n);
    try (UpstreamWriter upstream = new UpstreamWriter(directory.resolve("upstream.jsonl"), log);
         LocalEdgeHub hub = new LocalEdgeHub(hubOptions.routes(routes).upstream(upstream).build(),
             new PrometheusRegistry());
         EdgeHubEndpoint endpoint = EdgeHubEndpoint.start(hub, EndpointOptions.builder()
             .stateDirectory(directory.resolve("endpoint"))
             .mqttAddress(new InetSocketAddress("127.0.0.1", SDK_PORT))
             // The SDK refuses a HostName without a dot, such as the endpoint's default localhost.
             .iotHubHostName("load-hub.azure-devices.net")
             .workloadAddress(null)
             .build(), new PrometheusRegistry())) {
      try {
        return measure(settings, endpoint, tally, failures, clients, senders, log);
      } finally {
        // Before the endpoint closes, so that no client starts reconnecting.
        senders.shutdownNow();
        for (LoadClient client : clients) {
          client.close();
        }
      }
    }
  }

  private static LoadResult measure(LoadSettings settings, EdgeHubEndpoint endpoint, LoadTally tally,
      AtomicLong failures, List<LoadClient> clients, ExecutorService senders, PrintStream log) throws Exception {
    int n = settings.pairs();
    for (int i = 0; i < n; i++) {
      clients.add(connect(settings, endpoint, receiver(i), tally));
    }
    List<LoadClient> sending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LoadClient client = connect(settings, endpoint, sender(i), null);
      clients.add(client);
      sending.add(client);
    }
    log.printf("%s: %d senders x %d messages, connected%n", settings.mode().label(), n, settings.messages());
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      done.add(senders.submit(() -> {
        sending.get(index).sendAll(index, settings.messages(), settings, failures);
        return null;
      }));
    }
    long expected = (long) n * settings.messages();
    awaitArrivals(tally, expected, settings);
    for (int i = 0; i < n; i++) {
      try {
        done.get(i).get(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(sender(i) + " still had sends unacknowledged " + settings.idleTimeout()
            + " after the last message arrived; " + tally.unique() + " of " + expected + " arrived", e);
      }
    }
    long end = tally.lastReceivedNanos() == 0 ? System.nanoTime() : tally.lastReceivedNanos();
    if (tally.malformed() > 0) {
      throw new IllegalStateException(tally.malformed() + " received bodies were not load messages");
    }
    return new LoadResult(settings, expected, tally.unique(), tally.duplicates(), failures.get(),
        (end - start) / 1e9, tally.percentileMicros(50), tally.percentileMicros(95), tally.percentileMicros(99),
        tally.maxMicros());
  }

  /** Waits until every message arrived, or none arrived for the idle timeout. */
  private static void awaitArrivals(LoadTally tally, long expected, LoadSettings settings)
      throws InterruptedException {
    long idleNanos = settings.idleTimeout().toNanos();
    long lastCount = -1;
    long lastChange = System.nanoTime();
    while (tally.unique() < expected) {
      long count = tally.unique() + tally.duplicates();
      if (count != lastCount) {
        lastCount = count;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > idleNanos) {
        return;
      }
      Thread.sleep(5);
    }
  }

  private static LoadClient connect(LoadSettings settings, EdgeHubEndpoint endpoint, String moduleId,
      LoadTally tally) throws Exception {
    if (settings.mode().bareSdk()) {
      return SdkLoadClient.connect(endpoint.connectionStringEnvironment(moduleId), settings, tally);
    }
    return TransportLoadClient.connect(settings.mode().providerName(),
        endpoint.connectionStringEnvironment(moduleId), tally);
  }

  static String sender(int i) {
    return "sender-" + i;
  }

  static String receiver(int i) {
    return "receiver-" + i;
  }

  private static RouteSpec route(String name, String text) {
    try {
      return new RouteSpec(name, Route.parse(text));
    } catch (RouteException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
