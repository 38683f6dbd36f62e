package io.edgeai4j.module.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one series from a registry, for assertions. */
public final class MetricValues {
  private MetricValues() {}

  /**
   * Returns the value of a counter or gauge series, or 0 when the series does not exist.
   *
   * @param registry The registry.
   * @param name The name as exposed, with {@code _total} for counters.
   * @param labels Label names and values, alternating, e.g. {@code "module", "m"}.
   * @return The value.
   */
  public static double value(PrometheusRegistry registry, String name, String... labels) {
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
}
