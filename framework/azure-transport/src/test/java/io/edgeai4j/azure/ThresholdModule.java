package io.edgeai4j.azure;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.IntNode;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.host.ModuleHost;
import io.edgeai4j.module.spi.ModuleTransport;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The module of the module-host tests on both transports: binds its desired {@code threshold} (recorded in
 * {@link #thresholds}, in order), answers input {@code in} {@code {"n":N}} with {@code {"seen":N}} on output
 * {@code out} carrying the input's application property {@code site} ({@code lost} when it has none), and
 * answers method {@code threshold} with the latest threshold. Thread-safe.
 */
public final class ThresholdModule implements EdgeModule {
  /** The module's desired configuration. */
  public record Threshold(int threshold) {
    @JsonCreator
    public Threshold(@JsonProperty("threshold") Integer threshold) {
      this(threshold == null ? 0 : threshold.intValue());
    }
  }

  /** Every threshold bound, oldest first. */
  public final List<Integer> thresholds = new CopyOnWriteArrayList<>();

  @Override
  public void start(ModuleContext ctx) throws Exception {
    ctx.bindDesiredProperties(Threshold.class, (config, version) -> thresholds.add(config.threshold()));
    ctx.onInput("in", message -> {
      int n = message.bodyAsJson().get("n").asInt();
      ctx.send("out", EdgeMessage.json("{\"seen\":" + n + "}").toBuilder()
          .property("site", message.property("site").orElse("lost")).build());
      return MessageDisposition.COMPLETE;
    });
    ctx.onMethod("threshold", request -> MethodResponse.ok(IntNode.valueOf(thresholds.get(thresholds.size() - 1))));
  }

  /** Builds and starts a {@link ModuleHost} for this module on the transport; the caller stops it. */
  public ModuleHost hostOn(ModuleTransport transport) throws Exception {
    ModuleHost host = ModuleHost.builder().module(this).transport(transport)
        .metricsRegistry(new PrometheusRegistry()).build();
    host.start();
    return host;
  }
}
