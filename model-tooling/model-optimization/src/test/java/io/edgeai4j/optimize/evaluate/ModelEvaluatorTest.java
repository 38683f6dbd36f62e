package io.edgeai4j.optimize.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.testing.HalfFloatModels;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real models ({@code y = x W + b}, known weights) run by ONNX Runtime on labelled data whose labels are the
 * reference's classes; the expected figures are computed here in Java from the weights.
 */
class ModelEvaluatorTest {
  private static final int IN = 6;
  private static final int OUT = 4;
  private static final int ROWS = 50;
  private static final EvaluationOptions FAST = new EvaluationOptions(2, 30, 3);

  @TempDir Path dir;
  private float[] weights;
  private float[] bias;
  private float[] perturbed;
  private double[] x;
  private Path reference;
  private Path data;

  @BeforeEach
  void models() throws Exception {
    SplittableRandom random = new SplittableRandom(14);
    weights = new float[IN * OUT];
    perturbed = new float[IN * OUT];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextDouble(-1, 1);
      perturbed[i] = weights[i] + (float) random.nextDouble(-0.6, 0.6);
    }
    bias = new float[] {0.1f, -0.2f, 0.05f, 0f};
    x = new double[ROWS * IN];
    for (int r = 0; r < ROWS; r++) {
      do {
        for (int i = 0; i < IN; i++) {
          x[r * IN + i] = (float) random.nextDouble(-1, 1);
        }
      } while (margin(r, weights) < 1e-3 || margin(r, perturbed) < 1e-3); // no near-ties: float rounding cannot flip
    }
    reference = OnnxTestModels.linear(dir.resolve("reference.onnx"), IN, OUT, weights, bias, false);
    double[] labels = new double[ROWS];
    for (int r = 0; r < ROWS; r++) {
      labels[r] = argmax(scores(r, weights));
    }
    data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(new DataTensor("x", 1, new long[] {ROWS, IN}, x)),
        Optional.of(new DataTensor("labels", 7, new long[] {ROWS}, labels)), 16);
  }

  private double[] scores(int row, float[] w) {
    double[] s = new double[OUT];
    for (int o = 0; o < OUT; o++) {
      s[o] = bias[o];
      for (int i = 0; i < IN; i++) {
        s[o] += x[row * IN + i] * w[i * OUT + o];
      }
    }
    return s;
  }

  private double margin(int row, float[] w) {
    double[] s = scores(row, w).clone();
    java.util.Arrays.sort(s);
    return s[OUT - 1] - s[OUT - 2];
  }

  private static int argmax(double[] s) {
    int best = 0;
    for (int i = 1; i < s.length; i++) {
      best = s[i] > s[best] ? i : best;
    }
    return best;
  }

  @Test
  void aCopyAgreesEverywhereWithNoError() throws Exception {
    Path copy = Files.copy(reference, dir.resolve("copy.onnx"));

    EvaluationReport report = ModelEvaluator.evaluate(reference, copy, data, FAST);

    assertThat(report.sets()).isEqualTo(4);
    assertThat(report.rows()).isEqualTo(ROWS);
    assertThat(report.classes()).isEqualTo(OUT);
    assertThat(report.accuracyOmitted()).isEmpty();
    assertThat(report.agreement()).isEqualTo(1.0);
    assertThat(report.maxAbsError()).isZero();
    assertThat(report.meanAbsError()).isZero();
    for (ModelResult m : List.of(report.reference(), report.candidate())) {
      assertThat(m.top1()).hasValue(1.0);
      assertThat(m.topK()).hasValue(1.0);
      assertThat(m.fileBytes()).isEqualTo(Files.size(reference));
      assertThat(m.latency().runs()).isEqualTo(30);
      assertThat(m.latency().meanMs()).isPositive();
      assertThat(m.latency().p50Ms()).isPositive().isLessThanOrEqualTo(m.latency().p99Ms());
    }
    assertThat(report.table()).contains("agreement (top-1)", "100.00 %", "top-2 accuracy",
        "50 rows in 4 sets, 4 outputs per row; latency: 30 interleaved batch-1 runs of each model");
  }

  @Test
  void perturbedWeightsDisagreeWhereJavaSaysTheyDo() throws Exception {
    Path candidate = OnnxTestModels.linear(dir.resolve("perturbed.onnx"), IN, OUT, perturbed, bias, false);
    int agree = 0;
    int top2 = 0;
    double max = 0;
    double sum = 0;
    for (int r = 0; r < ROWS; r++) {
      double[] ref = scores(r, weights);
      double[] cand = scores(r, perturbed);
      int label = argmax(ref);
      agree += argmax(cand) == label ? 1 : 0;
      int above = 0;
      for (int o = 0; o < OUT; o++) {
        above += cand[o] > cand[label] ? 1 : 0;
        max = Math.max(max, Math.abs(ref[o] - cand[o]));
        sum += Math.abs(ref[o] - cand[o]);
      }
      top2 += above < 2 ? 1 : 0;
    }
    assertThat(agree).as("the perturbation flips some rows and not all").isBetween(5, ROWS - 5);

    EvaluationReport report = ModelEvaluator.evaluate(reference, candidate, data, FAST);

    assertThat(report.agreement()).isEqualTo((double) agree / ROWS);
    assertThat(report.reference().top1()).hasValue(1.0);
    assertThat(report.candidate().top1()).hasValue((double) agree / ROWS);
    assertThat(report.candidate().topK()).hasValue((double) top2 / ROWS);
    assertThat(report.maxAbsError()).isCloseTo(max, within(1e-5));
    assertThat(report.meanAbsError()).isCloseTo(sum / (ROWS * OUT), within(1e-5));
  }

  @Test
  void withoutLabelsInEverySetAccuracyIsOmittedAndTheReportSaysWhy() throws Exception {
    Files.delete(data.resolve("test_data_set_2/labels.pb"));
    EvaluationReport partly = ModelEvaluator.evaluate(reference, reference, data, FAST);
    assertThat(partly.accuracyOmitted()).hasValue("labels.pb is missing in 1 of 4 sets (first: "
        + data.resolve("test_data_set_2") + "); accuracy needs labels in every set");
    assertThat(partly.reference().top1()).isEmpty();
    assertThat(partly.candidate().topK()).isEmpty();
    assertThat(partly.agreement()).isEqualTo(1.0);
    assertThat(partly.table()).doesNotContain("top-1 accuracy").contains("accuracy omitted: labels.pb is missing");

    for (int s = 0; s < 4; s++) {
      Files.deleteIfExists(data.resolve("test_data_set_" + s + "/labels.pb"));
    }
    assertThat(ModelEvaluator.evaluate(reference, reference, data, FAST).accuracyOmitted())
        .hasValue("no set holds labels.pb");
  }

  @Test
  void dataThatDoesNotFitTheModelIsRefusedNamingTheFileAndTheExpectedShape() throws Exception {
    Path narrow = OnnxTestModels.random(dir.resolve("narrow.onnx"), IN - 1, OUT, 3);
    assertThatThrownBy(() -> ModelEvaluator.evaluate(reference, narrow, data, FAST))
        .isInstanceOf(EvaluationException.class)
        .hasMessage(data.resolve("test_data_set_0/input_0.pb") + " has shape [16, 6]; model " + narrow
            + " input 'x' expects [-1, 5] (-1: any size)");

    Path two = dir.resolve("two");
    DataTensor a = new DataTensor("a", 1, new long[] {2, IN}, new double[2 * IN]);
    TestDataSetWriter.write(two, List.of(a, a), Optional.empty(), 2);
    assertThatThrownBy(() -> ModelEvaluator.evaluate(reference, reference, two, FAST))
        .hasMessage(two.resolve("test_data_set_0") + " holds 2 input file(s) (input_0.pb ...); model " + reference
            + " takes 1 input(s) [x]");

    Path badLabels = dir.resolve("bad-labels");
    TestDataSetWriter.write(badLabels, List.of(new DataTensor("x", 1, new long[] {2, IN}, new double[2 * IN])),
        Optional.of(new DataTensor("labels", 7, new long[] {2}, new double[] {1, OUT})), 2);
    assertThatThrownBy(() -> ModelEvaluator.evaluate(reference, reference, badLabels, FAST))
        .hasMessage(badLabels.resolve("test_data_set_0/labels.pb") + ": row 1 has label 4.0; expected a class index"
            + " in [0, 4) (the models' outputs per row)");

    Path wider = OnnxTestModels.random(dir.resolve("wider.onnx"), IN, OUT + 1, 3);
    assertThatThrownBy(() -> ModelEvaluator.evaluate(reference, wider, data, FAST))
        .hasMessage(data.resolve("test_data_set_0") + ": the reference's first output holds 64 values and the"
            + " candidate's 80; expected outputs of the same shape");
  }

  @Test
  void aFloat16CandidateFedFloat32DataDiffersByItsRoundingExactly() throws Exception {
    Path fp32 = OnnxTestModels.scale(dir.resolve("fp32.onnx"), IN, 2f);
    Path fp16 = HalfFloatModels.float16(dir.resolve("fp16.onnx"), IN, 2f);
    double max = 0;
    double sum = 0;
    for (double v : x) {
      float f = (float) v;
      double error = Math.abs(2.0 * HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(f)) - 2.0 * f);
      max = Math.max(max, error);
      sum += error;
    }
    assertThat(max).isPositive();

    EvaluationReport report = ModelEvaluator.evaluate(fp32, fp16, data, FAST);

    assertThat(report.classes()).isEqualTo(IN);
    assertThat(report.maxAbsError()).isEqualTo(max);
    assertThat(report.meanAbsError()).isCloseTo(sum / x.length, within(1e-12));
    assertThat(report.candidate().fileBytes()).isEqualTo(Files.size(fp16));
  }

  @Test
  void aSetWithoutRowsIsRefused() throws Exception {
    Path empty = dir.resolve("empty/test_data_set_0");
    Files.createDirectories(empty);
    Files.write(empty.resolve("input_0.pb"), OnnxMl.TensorProto.newBuilder().setName("x").setDataType(1).addDims(0)
        .addDims(IN).build().toByteArray());
    assertThatThrownBy(() -> ModelEvaluator.evaluate(reference, reference, dir.resolve("empty"), FAST))
        .hasMessage(empty.resolve("input_0.pb") + " has shape [0, 6]; expected a first dimension of at least one row");
  }
}
