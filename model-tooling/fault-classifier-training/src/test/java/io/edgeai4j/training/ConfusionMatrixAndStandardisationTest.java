package io.edgeai4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small arithmetic the report and the model rely on. */
class ConfusionMatrixAndStandardisationTest {
  @Test
  void confusionMatrixCountsAccuracyPrecisionAndRecall() {
    ConfusionMatrix m = new ConfusionMatrix();
    m.add(FaultClass.NORMAL, FaultClass.NORMAL);
    m.add(FaultClass.NORMAL, FaultClass.NORMAL);
    m.add(FaultClass.OUTER_RACE, FaultClass.INNER_RACE);
    m.add(FaultClass.INNER_RACE, FaultClass.INNER_RACE);
    assertThat(m.total()).isEqualTo(4);
    assertThat(m.accuracy()).isEqualTo(0.75);
    assertThat(m.precision(FaultClass.INNER_RACE)).isEqualTo(0.5);
    assertThat(m.recall(FaultClass.OUTER_RACE)).isZero();
    assertThat(m.recall(FaultClass.NORMAL)).isEqualTo(1);
    assertThat(m.report()).contains("accuracy: 0.7500 (4 windows)").contains("| outerRace | 0 | 0 | 0 | 0 | 1 |");
  }

  @Test
  void standardisationCentresAndScalesAndLeavesConstantColumnsUnscaled() {
    Standardisation s = Standardisation.fit(List.of(new double[] {1, 5}, new double[] {3, 5}));
    assertThat(s.mean()).containsExactly(2, 5);
    assertThat(s.scale()).containsExactly(1, 1);
    assertThat(s.apply(new double[] {4, 6})).containsExactly(2, 1);
    assertThatThrownBy(() -> new Standardisation(new double[] {0}, new double[] {0}))
        .hasMessageContaining("column 0").hasMessageContaining("scale 0.0");
  }

  @Test
  void logCompressionLogsEverythingButSkewnessAndKeepsZerosFinite() {
    double[] row = {2, 0, 0, 1, -2, -0.5, 0, 1, 0, 0};
    double[] out = LogCompression.apply(row);
    assertThat(out[0]).isCloseTo(Math.log(2), within(1e-8));
    assertThat(out[4]).isCloseTo(0, within(1e-6));  // excess kurtosis -2 is kurtosis 1
    assertThat(out[5]).isEqualTo(-0.5);
    assertThat(java.util.Arrays.stream(out).allMatch(Double::isFinite)).isTrue();
  }
}
