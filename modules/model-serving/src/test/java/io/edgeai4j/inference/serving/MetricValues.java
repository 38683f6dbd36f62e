package io.edgeai4j.inference.serving;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/** Reads one value from a registry: a counter's or gauge's value, a summary's count; 0 when absent. */
final class MetricValues {
  private MetricValues() {}

  /**
   * The value of the series of family {@code name} (without {@code _total}) whose labels include the pairs given.
   */
  static double value(PrometheusRegistry registry, String name, String... labelPairs) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot p : snapshot.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          match &= labelPairs[i + 1].equals(p.getLabels().get(labelPairs[i]));
        }
        if (match) {
          if (p instanceof CounterDataPointSnapshot c) {
            return c.getValue();
          }
          if (p instanceof GaugeDataPointSnapshot g) {
            return g.getValue();
          }
          if (p instanceof SummaryDataPointSnapshot s) {
            return s.getCount();
          }
        }
      }
    }
    return 0;
  }
}
