package io.edgeai4j.nativebindings.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DistributionTest {

  /**
   * trtexec's index rule, max(n - 1 - (int) ((1 - P/100) * n), 0), worked by hand in single precision:
   * 1 - 0.9f = 0.10000002f, so p90 of 10 values excludes 1 and reads index 8 (double arithmetic would exclude 0 and
   * read index 9); 1 - 0.99f = 0.00999999f, so p99 of 100 values excludes 0 and reads the largest.
   */
  @ParameterizedTest(name = "p{0} of {1} values reads sorted index {2}")
  @CsvSource({
      "90, 10, 8",
      "95, 10, 9",
      "99, 10, 9",
      "50, 10, 4",
      "90, 100, 89",
      "95, 100, 94",
      "99, 100, 99",
      "99, 1000, 990",
      "90, 20, 17",
      "95, 20, 18",
      "99, 20, 19",
      "90, 3, 2",
      "50, 3, 1",
      "90, 1, 0",
      "0, 10, 0",
      "100, 10, 9",
  })
  void percentileIndexIsTrtexecs(float percentile, int count, int index) {
    assertThat(Distribution.percentileIndex(percentile, count)).isEqualTo(index);
  }

  @ParameterizedTest(name = "percentile {0} is refused")
  @CsvSource({"-1", "100.5", "NaN"})
  void percentileOutsideZeroToHundredIsRefused(float percentile) {
    assertThatThrownBy(() -> Distribution.percentileIndex(percentile, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not in [0, 100]");
  }

  @ParameterizedTest(name = "median of {0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "1 2 3 4 10 | 3",
      "1 2 3 4 | 2.5",
      "7 | 7",
      "1 9 | 5",
  })
  void medianIsTheMiddleOrTheMeanOfTheTwoMiddles(String values, double median) {
    assertThat(Distribution.median(parse(values))).isEqualTo(median);
  }

  @Test
  void distributionOfFiveValuesByHand() {
    // sorted 1 2 3 4 10: mean 4; deviations -3 -2 -1 0 6, squares sum 50, variance 10, sd 3.1623, cv 79.06 %;
    // p90/p95/p99 of 5 values exclude 0 and read the largest.
    Distribution d = Distribution.of(new double[] {4, 1, 3, 2, 10});

    assertThat(d.min()).isEqualTo(1);
    assertThat(d.max()).isEqualTo(10);
    assertThat(d.mean()).isEqualTo(4);
    assertThat(d.median()).isEqualTo(3);
    assertThat(d.p90()).isEqualTo(10);
    assertThat(d.p95()).isEqualTo(10);
    assertThat(d.p99()).isEqualTo(10);
    assertThat(d.coefficientOfVariationPercent()).isCloseTo(Math.sqrt(10) / 4 * 100, within(1e-9));
  }

  @Test
  void distributionOfTenValuesReadsTheNinthForP90() {
    Distribution d = Distribution.of(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});

    assertThat(d.p90()).isEqualTo(9);
    assertThat(d.p95()).isEqualTo(10);
    assertThat(d.median()).isEqualTo(5.5);
  }

  @Test
  void noValuesIsAnError() {
    assertThatThrownBy(() -> Distribution.of(new double[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one timed query");
  }

  private static double[] parse(String values) {
    String[] parts = values.trim().split("\\s+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i]);
    }
    return out;
  }
}
