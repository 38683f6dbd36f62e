package io.edgeai4j.module.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.metrics.FrameworkMetrics.RefusalReason;
import io.edgeai4j.module.metrics.FrameworkMetrics.TwinReadReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class FrameworkMetricsTest {
  @Test
  void oneInstancePerRegistry() {
    PrometheusRegistry a = new PrometheusRegistry();
    PrometheusRegistry b = new PrometheusRegistry();

    assertThat(FrameworkMetrics.forRegistry(a)).isSameAs(FrameworkMetrics.forRegistry(a));
    assertThat(FrameworkMetrics.forRegistry(a)).isNotSameAs(FrameworkMetrics.forRegistry(b));
  }

  @Test
  void recordsSeriesLabelledByModule() {
    PrometheusRegistry registry = new PrometheusRegistry();
    FrameworkMetrics metrics = FrameworkMetrics.forRegistry(registry);

    metrics.messageReceived("m1", "in", MessageDisposition.COMPLETE);
    metrics.messageReceived("m1", "in", MessageDisposition.COMPLETE);
    metrics.messageReceived("m2", "in", MessageDisposition.REJECT);
    metrics.messageSent("m1", "out");
    metrics.messageRefused("m1", "out", RefusalReason.TOO_LARGE);
    metrics.inputError("m1", "in");
    metrics.methodCall("m1", "ping", 200);
    metrics.twinFullRead("m1", TwinReadReason.VERSION_GAP);
    metrics.scheduledTaskError("m1");
    metrics.setConnected("m1", true);
    metrics.setDesiredVersion("m1", 42);
    metrics.addInputsInFlight("m1", 1);

    assertThat(MetricValues.value(registry, FrameworkMetrics.MESSAGES_RECEIVED,
        "module", "m1", "input", "in", "disposition", "complete")).isEqualTo(2);
    assertThat(MetricValues.value(registry, FrameworkMetrics.MESSAGES_RECEIVED,
        "module", "m2", "input", "in", "disposition", "reject")).isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.MESSAGES_SENT, "module", "m1", "output", "out"))
        .isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.MESSAGES_REFUSED,
        "module", "m1", "output", "out", "reason", "too_large")).isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.INPUT_ERRORS, "module", "m1", "input", "in"))
        .isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.METHOD_CALLS,
        "module", "m1", "method", "ping", "status", "200")).isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.TWIN_FULL_READS,
        "module", "m1", "reason", "version_gap")).isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.SCHEDULED_TASK_ERRORS, "module", "m1"))
        .isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.CONNECTED, "module", "m1")).isEqualTo(1);
    assertThat(MetricValues.value(registry, FrameworkMetrics.DESIRED_VERSION, "module", "m1")).isEqualTo(42);
    assertThat(MetricValues.value(registry, FrameworkMetrics.INPUTS_IN_FLIGHT, "module", "m1")).isEqualTo(1);
  }
}
