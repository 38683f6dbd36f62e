package io.edgeai4j.inference.serving;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/** Reads a registry: the sum over matching series of a counter's or gauge's value, or a summary's or
 * histogram's count. */
final class MetricValues {
  private MetricValues() {}

  /**
   * The sum over the series of family {@code name} (without {@code _total}) whose labels include the pairs given;
   * 0 when none matches.
   */
  static double value(PrometheusRegistry registry, String name, String... labelPairs) {
    double sum = 0;
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
            sum += c.getValue();
          }
          if (p instanceof GaugeDataPointSnapshot g) {
            sum += g.getValue();
          }
          if (p instanceof SummaryDataPointSnapshot s) {
            sum += s.getCount();
          }
          if (p instanceof HistogramDataPointSnapshot h) {
            sum += h.getCount();
          }
        }
      }
    }
    return sum;
  }
}
