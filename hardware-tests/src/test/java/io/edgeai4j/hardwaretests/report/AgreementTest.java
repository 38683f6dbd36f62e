package io.edgeai4j.hardwaretests.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgreementTest {

  private static float[] floats(String values) {
    String[] parts = values.trim().split("\\s+");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i]);
    }
    return out;
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource(textBlock = """
      # reference (2 rows of 3), candidate,            max,   mean,    top-1 agreement, within 1e-2
      0.1 0.7 0.2 0.5 0.25 0.25, 0.1 0.7 0.2 0.5 0.25 0.25, 0,     0,       1.0,             true
      0.1 0.7 0.2 0.5 0.25 0.25, 0.1 0.705 0.195 0.5 0.25 0.25, 0.005, 0.0016667, 1.0,       true
      0.1 0.7 0.2 0.5 0.25 0.25, 0.1 0.7 0.2 0.2 0.55 0.25, 0.3,   0.1,     0.5,             false
      0.4 0.3 0.3 0.1 0.1 0.8,   0.3 0.4 0.3 0.8 0.1 0.1,   0.7,   0.2666667, 0.0,           false
      """)
  void maxMeanAndTop1(String reference, String candidate, double max, double mean, double top1, boolean within) {
    Agreement a = Agreement.compare(floats(reference), floats(candidate), 3, 1e-2);

    assertThat(a.maxAbsError()).isCloseTo(max, within(1e-6));
    assertThat(a.meanAbsError()).isCloseTo(mean, within(1e-6));
    assertThat(a.top1Agreement()).isEqualTo(top1);
    assertThat(a.tolerance()).isEqualTo(1e-2);
    assertThat(a.withinTolerance()).isEqualTo(within);
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', textBlock = """
      0.1 0.9       | 0.1 0.9 0.5   | reference has 2 values, candidate 3; expected the same rows of 2 classes
      0.1 0.9 0.5   | 0.1 0.9 0.5   | 3 values, expected a positive multiple of 2 classes
      0.1 NaN       | 0.1 0.9       | row 0 class 1: reference NaN, candidate 0.9; expected finite values
      """)
  void refusesWhatIsNotRowsOfClasses(String reference, String candidate, String message) {
    assertThatThrownBy(() -> Agreement.compare(floats(reference), floats(candidate), 2, 1e-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void accuracyCountsRowsWhoseTop1IsTheLabel() {
    float[] values = floats("0.9 0.1 0.2 0.8 0.6 0.4 0.5 0.5");

    assertThat(Agreement.accuracy(values, 2, new int[] {0, 1, 1, 0})).isEqualTo(0.75);
    assertThat(Agreement.top1(values, 3, 2)).as("the first on ties").isZero();
    assertThatThrownBy(() -> Agreement.accuracy(values, 2, new int[] {0, 1}))
        .hasMessage("8 values for 2 labels, expected 2 values per label and at least one label");
  }
}
