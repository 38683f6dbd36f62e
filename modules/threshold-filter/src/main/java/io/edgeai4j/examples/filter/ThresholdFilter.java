package io.edgeai4j.examples.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSON readings on input {@value #INPUT} and forwards those whose configured field is above the
 * threshold to output {@value #OUTPUT}, with application properties {@code alert=true} and
 * {@code threshold}. A reading without the field, or not JSON, is rejected and logged. The direct
 * method {@code stats} returns the counts. Thread-safe.
 */
public final class ThresholdFilter implements EdgeModule {
  /** The input readings arrive on. */
  public static final String INPUT = "readings";
  /** The output alerts leave on. */
  public static final String OUTPUT = "alerts";
  private static final Logger LOG = LoggerFactory.getLogger(ThresholdFilter.class);

  private volatile FilterConfig config = FilterConfig.DEFAULT;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong belowThreshold = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  @Override
  public void start(ModuleContext context) throws Exception {
    context.bindDesiredProperties(FilterConfig.class, (cfg, version) -> config = cfg);
    context.onMethod("stats", request -> MethodResponse.ok(JsonNodeFactory.instance.objectNode()
        .put("forwarded", forwarded.get())
        .put("belowThreshold", belowThreshold.get())
        .put("rejected", rejected.get())
        .put("field", config.field())
        .put("threshold", config.threshold())));
    context.onInput(INPUT, message -> {
      FilterConfig cfg = config;
      JsonNode value;
      try {
        value = message.bodyAsJson();
      } catch (IllegalStateException e) {
        rejected.incrementAndGet();
        LOG.warn("Rejected a reading that is not JSON: {}", e.getMessage());
        return MessageDisposition.REJECT;
      }
      for (String segment : cfg.segments()) {
        value = value.path(segment);
      }
      if (!value.isNumber()) {
        rejected.incrementAndGet();
        LOG.warn("Rejected a reading whose '{}' is {}, expected a number", cfg.field(),
            value.isMissingNode() ? "missing" : value.toString());
        return MessageDisposition.REJECT;
      }
      if (value.asDouble() <= cfg.threshold()) {
        belowThreshold.incrementAndGet();
        return MessageDisposition.COMPLETE;
      }
      context.send(OUTPUT, message.toBuilder()
          .property("alert", "true")
          .property("threshold", Double.toString(cfg.threshold()))
          .build());
      forwarded.incrementAndGet();
      return MessageDisposition.COMPLETE;
    });
  }
}
