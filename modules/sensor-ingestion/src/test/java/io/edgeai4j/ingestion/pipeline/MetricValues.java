package io.edgeai4j.ingestion.pipeline;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one series of a registry, as a scrape would show it. */
final class MetricValues {
  private MetricValues() {}

  /**
   * The value of the series {@code name} (without {@code _total}) whose labels include the given name/value pairs;
   * 0 when there is none.
   */
  static double value(PrometheusRegistry registry, String name, String... labelPairs) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getPrometheusName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        if (matches(point.getLabels(), labelPairs)) {
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

  private static boolean matches(Labels labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
