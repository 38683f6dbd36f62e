package io.edgeai4j.inference.tensorrt;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TensorRT engines deserialized in this process. An engine cannot be freed from Java with the TensorRT 10/11
 * presets (bytedeco/javacpp-presets#1699), so every load, hot swaps included, keeps its engine's memory until the
 * process exits; this count and its limit make that cost explicit. Exported as the gauge
 * {@value #METRIC} in the default Prometheus registry. Thread-safe.
 */
final class EngineBudget {
  static final String METRIC = "edgeai4j_tensorrt_engines_loaded";
  private static final Logger LOG = LoggerFactory.getLogger(EngineBudget.class);
  /** The process's budget: engines are process-wide. */
  static final EngineBudget PROCESS = new EngineBudget(PrometheusRegistry.defaultRegistry);

  private final AtomicInteger loaded = new AtomicInteger();
  private final Gauge gauge;

  EngineBudget(PrometheusRegistry registry) {
    Gauge gauge = Gauge.builder().name(METRIC)
        .help("TensorRT engines deserialized in this process; never freed (javacpp-presets#1699): a hot swap adds one")
        .register(registry);
    gauge.set(0);
    this.gauge = gauge;
  }

  /** Engines loaded so far. */
  int loaded() {
    return loaded.get();
  }

  /**
   * Takes one engine from the budget before a load.
   *
   * @throws EngineLimitException {@code maxEngines} engines are already loaded.
   */
  void reserve(int maxEngines, String model) throws EngineLimitException {
    int n;
    do {
      n = loaded.get();
      if (n >= maxEngines) {
        throw new EngineLimitException("cannot load " + model + ": " + n + " TensorRT engines are loaded in this"
            + " process, the limit is " + maxEngines + " (" + TensorRtSettings.MAX_ENGINES_ENV + "); TensorRT engines"
            + " cannot be freed from Java (bytedeco/javacpp-presets#1699), so each load and hot swap keeps its engine"
            + " until the process exits: restart the module to load this model");
      }
    } while (!loaded.compareAndSet(n, n + 1));
    gauge.set(n + 1);
  }

  /** Gives back an engine reserved by a load that failed before its engine existed. */
  void release() {
    gauge.set(loaded.decrementAndGet());
  }

  /** Logs the count after a load. */
  void logLoaded(String model, int maxEngines) {
    LOG.info("TensorRT engines loaded in this process: {} of at most {} ({} is the latest; engines are never freed)",
        loaded.get(), maxEngines, model);
  }

  /** The limit was reached. */
  static final class EngineLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    EngineLimitException(String message) {
      super(message);
    }
  }
}
