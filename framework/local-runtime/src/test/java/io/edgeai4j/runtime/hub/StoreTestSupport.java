package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import io.edgeai4j.routing.RouteSpec;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/** Hubs with a store, modules that record what they get, a clock to move, metrics to read: for the store's tests. */
final class StoreTestSupport {
  static final String DEVICE = "dev";

  private StoreTestSupport() {}

  /** A route of the producer's output {@code output} to {@code consumer/in}. */
  static RouteSpec toConsumer(String name, String output, int priority, Duration ttl) {
    return route(name, "FROM /messages/modules/producer/outputs/" + output
        + " INTO BrokeredEndpoint(\"/modules/consumer/inputs/in\")", priority, ttl);
  }

  static RouteSpec route(String name, String text, int priority, Duration ttl) {
    try {
      return new RouteSpec(name, Route.parse(text), priority, ttl);
    } catch (RouteException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Options for a hub of the modules producer and consumer, with fast cleanup and redelivery. */
  static HubOptions.Builder options(Path store, UpstreamTarget upstream, Clock clock, RouteSpec... routes) {
    ObjectNode none = JsonNodeFactory.instance.objectNode();
    return HubOptions.builder().deviceId(DEVICE).routes(List.of(routes)).module("producer", none)
        .module("consumer", none).upstream(upstream).cleanupInterval(Duration.ofMillis(50))
        .redeliveryDelay(Duration.ofMillis(20)).upstreamDrainTimeout(Duration.ZERO).storeDirectory(store)
        .clock(clock);
  }

  /** A hub's metrics in the text format. */
  static String scrape(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Copies a directory tree, as a crash would leave it (the files as the operating system has them). */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /** A clock that stays where it is set. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** An {@code $upstream} target that records what it takes and takes only while {@code accepting}. */
  static final class RecordingUpstream implements UpstreamTarget {
    final List<EdgeMessage> taken = new CopyOnWriteArrayList<>();
    volatile boolean accepting;

    RecordingUpstream(boolean accepting) {
      this.accepting = accepting;
    }

    @Override
    public boolean offer(EdgeMessage message, String sourcePath) {
      if (!accepting) {
        return false;
      }
      taken.add(message);
      return true;
    }

    @Override
    public String describe() {
      return "test upstream";
    }
  }

  /** A module that records each input message it is offered and answers as {@code answer} says. */
  static final class RecordingModule implements TransportListener {
    final List<EdgeMessage> offered = new CopyOnWriteArrayList<>();
    private final Function<EdgeMessage, MessageDisposition> answer;

    RecordingModule(Function<EdgeMessage, MessageDisposition> answer) {
      this.answer = answer;
    }

    static RecordingModule completing() {
      return new RecordingModule(m -> MessageDisposition.COMPLETE);
    }

    /** Connects it to {@code hub} as {@code moduleId}; the caller closes the transport. */
    ModuleTransport connect(LocalEdgeHub hub, String moduleId) throws Exception {
      ModuleTransport transport = hub.transportFor(moduleId);
      transport.open(this);
      return transport;
    }

    List<String> offeredIds() {
      return offered.stream().map(m -> m.messageId().orElse("?")).toList();
    }

    @Override
    public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
      offered.add(message);
      return answer.apply(message);
    }

    @Override
    public void onDesiredPropertiesPatch(ObjectNode patch) {}

    @Override
    public MethodResponse onMethodInvoked(MethodRequest request) {
      return MethodResponse.error(501, "no methods");
    }

    @Override
    public void onConnectionStatusChanged(ConnectionStatusChange change) {}
  }

  /** A producer that connects and answers nothing. */
  static ModuleTransport producer(LocalEdgeHub hub) throws Exception {
    return RecordingModule.completing().connect(hub, "producer");
  }

  /** What a test opened (hubs, module connections), closed in reverse order; a test field for {@code @AutoClose}. */
  static final class Opened implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T add(T closeable) {
      open.add(closeable);
      return closeable;
    }

    LocalEdgeHub hub(HubOptions.Builder options, PrometheusRegistry registry) {
      return add(new LocalEdgeHub(options.build(), registry));
    }

    @Override
    public void close() throws Exception {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }
}
