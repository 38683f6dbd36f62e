package io.edgeai4j.train.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loss against the formula worked out in doubles, row by row, on two rows of three classes. */
class DistillationLossTest {
  private static final double[][] TEACHER = {{2.0, 0.5, -1.0}, {0.0, 3.0, 1.0}};
  private static final double[][] STUDENT = {{0.2, 1.0, 0.1}, {-0.5, 0.5, 2.0}};
  private static final int[] LABELS = {0, 2};

  @ParameterizedTest(name = "T {0}, alpha {1}, labelled {2}")
  @CsvSource({
      "1, 0.5, true",
      "4, 0.7, true",
      "4, 1.0, true",
      "2, 0.0, true",
      "4, 0.7, false",
      "0.5, 0.3, false"})
  void matchesAHandComputation(float t, float alpha, boolean labelled) {
    double expected = 0;
    for (int r = 0; r < 2; r++) {
      double[] p = softmax(TEACHER[r], t);
      double[] q = softmax(STUDENT[r], t);
      double kl = 0;
      for (int k = 0; k < 3; k++) {
        kl += p[k] * Math.log(p[k] / q[k]);
      }
      double ce = -Math.log(softmax(STUDENT[r], 1)[LABELS[r]]);
      expected += labelled ? alpha * t * t * kl + (1 - alpha) * ce : t * t * kl;
    }
    expected /= 2;

    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
      NDArray student = m.create(flat(STUDENT), new Shape(2, 3));
      NDArray teacher = m.create(flat(TEACHER), new Shape(2, 3));
      NDArray oneHot = labelled ? m.create(LABELS).oneHot(3) : null;
      float loss = DistillationLoss.of(student, teacher, oneHot, t, alpha).getFloat();
      assertThat((double) loss).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
    }
  }

  @ParameterizedTest(name = "T {0}")
  @CsvSource({"1", "4"})
  void aStudentEqualToTheTeacherHasNoSoftLoss(float t) {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
      NDArray teacher = m.create(flat(TEACHER), new Shape(2, 3));
      assertThat(DistillationLoss.of(teacher, teacher, null, t, 0.7f).getFloat()).isCloseTo(0f, within(1e-6f));
    }
  }

  private static double[] softmax(double[] z, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v / t);
    }
    double sum = 0;
    double[] e = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] / t - max);
      sum += e[i];
    }
    for (int i = 0; i < z.length; i++) {
      e[i] /= sum;
    }
    return e;
  }

  private static float[] flat(double[][] rows) {
    float[] f = new float[rows.length * rows[0].length];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < rows[r].length; k++) {
        f[r * rows[r].length + k] = (float) rows[r][k];
      }
    }
    return f;
  }
}
