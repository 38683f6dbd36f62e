package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import org.junit.jupiter.api.Test;

class EngineBudgetTest {
  private static double gauge(PrometheusRegistry registry) {
    return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
            .equals(EngineBudget.METRIC)).map(s -> ((GaugeSnapshot) s).getDataPoints().get(0).getValue())
        .findFirst().orElseThrow();
  }

  @Test
  void enginesAreCountedUpToTheLimitThenRefusedWithAMessageSayingToRestart() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    EngineBudget budget = new EngineBudget(registry);

    budget.reserve(2, "/m/fault/1/model.onnx");
    budget.reserve(2, "/m/fault/2/model.onnx");

    assertThat(budget.loaded()).isEqualTo(2);
    assertThat(gauge(registry)).isEqualTo(2.0);
    assertThatThrownBy(() -> budget.reserve(2, "/m/fault/3/model.onnx"))
        .isInstanceOf(EngineBudget.EngineLimitException.class)
        .hasMessage("cannot load /m/fault/3/model.onnx: 2 TensorRT engines are loaded in this process, the limit is 2"
            + " (EDGEAI4J_TENSORRT_MAX_ENGINES); TensorRT engines cannot be freed from Java"
            + " (bytedeco/javacpp-presets#1699), so each load and hot swap keeps its engine until the process exits:"
            + " restart the module to load this model");
    assertThat(budget.loaded()).isEqualTo(2);
  }

  @Test
  void aReleasedReservationIsGivenBack() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    EngineBudget budget = new EngineBudget(registry);

    budget.reserve(1, "a");
    budget.release();

    assertThat(budget.loaded()).isZero();
    assertThat(gauge(registry)).isZero();
    budget.reserve(1, "b");
    assertThat(budget.loaded()).isEqualTo(1);
  }
}
