package io.edgeai4j.runtime.hub;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.routing.RouteSpec;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The second JVM of {@link HubStoreKillTest}: publishes to a hub with a store in {@code args[0]} until it is killed,
 * printing each message id on standard output, flushed, once {@code send} returned (the message is accepted).
 */
public final class PublishUntilKilled {
  private PublishUntilKilled() {}

  /** Builds message {@code i}: its id, body and properties say {@code i}, so that a mix-up shows. */
  static EdgeMessage message(int i) {
    return EdgeMessage.builder().jsonBody("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(200 + i % 100) + "\"}")
        .messageId("k-" + i).property("i", String.valueOf(i)).build();
  }

  public static void main(String[] args) throws Exception {
    HubOptions options = StoreTestSupport.options(Path.of(args[0]), new StoreTestSupport.RecordingUpstream(true),
        Clock.systemUTC(), StoreTestSupport.toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null)).build();
    LocalEdgeHub hub = new LocalEdgeHub(options, new PrometheusRegistry());
    ModuleTransport producer = StoreTestSupport.producer(hub);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    for (int i = 0; ; i++) {
      producer.send("out", message(i));
      out.println("k-" + i);
      out.flush();
    }
  }
}
