package io.edgeai4j.cli;

import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.time.Duration;

/** What {@code edge run} and {@code edge demo} share: a metrics registry, and waiting for the end. */
public final class LocalRuns {
  private LocalRuns() {}

  /**
   * Waits until the runtime stops: after {@code duration} when given, or on SIGTERM/Ctrl-C (a shutdown hook
   * closes it).
   */
  public static void awaitEnd(LocalEdgeRuntime runtime, Duration duration, PrintWriter err, String name)
      throws InterruptedException {
    Thread hook = new Thread(runtime::close, name.replace(' ', '-') + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (duration != null) {
      Thread timer = new Thread(() -> {
        try {
          Thread.sleep(duration.toMillis());
          err.println(name + ": " + DurationConverter.format(duration) + " elapsed; stopping");
          err.flush();
          runtime.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name.replace(' ', '-') + "-duration");
      timer.setDaemon(true);
      timer.start();
    }
    runtime.awaitStopped();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook has run
    }
  }

  /** A registry of this run's own, with the JVM's metrics in it. */
  public static PrometheusRegistry registry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    return registry;
  }

}
