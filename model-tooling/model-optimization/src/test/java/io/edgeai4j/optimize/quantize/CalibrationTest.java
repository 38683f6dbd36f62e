package io.edgeai4j.optimize.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalibrationTest {
  @TempDir Path dir;

  @Test
  void minMaxStreamsOverBatches() {
    RangeCollector c = CalibrationMethod.MINMAX.collector();
    c.add(new float[] {0.5f, 2});
    c.add(new float[] {-1, 1});
    c.add(new float[] {});

    assertThat(c.range()).isEqualTo(new TensorRange(-1, 2));
    assertThat(CalibrationMethod.MINMAX.collector().range()).isEqualTo(new TensorRange(0, 0));
  }

  /**
   * 100,000 values evenly over [-1, 1) and one at 50: the |x| histogram has 2048 bins of 50/2048 over [0, 50]; the
   * CDF reaches 99.999 % in the bin holding 1.0 (bin 40), whose left edge 40 * 50 / 2048 = 0.9765625 is the threshold.
   */
  @ParameterizedTest(name = "in {0} batch(es)")
  @CsvSource({"1", "4"})
  void percentileCutsTheOutlierAtTheEdgeOnnxRuntimeTakes(int batches) {
    float[] all = new float[100_001];
    for (int i = 0; i < 100_000; i++) {
      all[i] = i / 50_000f - 1;
    }
    all[100_000] = 50;
    // The first batch must reach the largest |x|: ONNX Runtime's bins are those of the first batch (grown upwards only).
    float[] first = {50, 0};
    RangeCollector c = CalibrationMethod.PERCENTILE.collector();
    if (batches == 1) {
      c.add(all);
    } else {
      float[] rest = new float[99_999];
      System.arraycopy(all, 1, rest, 0, rest.length);
      c.add(first);
      c.add(rest);
    }

    TensorRange r = c.range();

    assertThat(r.min()).isEqualTo(-0.9765625f);
    assertThat(r.max()).isEqualTo(0.9765625f);
  }

  @Test
  void percentileGrowsItsBinsWhenALaterBatchGoesHigher() {
    PercentileCollector c = new PercentileCollector(4, 100);
    c.add(new float[] {0, 1}); // bins of 0.25 over [0, 1]
    c.add(new float[] {-1.6f}); // |x| 1.6: three more bins up to 1.75

    // The CDF reaches 100 % in the bin [1.5, 1.75) holding 1.6; its left edge is the threshold, then clamped to the
    // values seen: (-1.5, 1).
    assertThat(c.range()).isEqualTo(new TensorRange(-1.5f, 1));
  }

  @Test
  void entropyWithDefaultBinsOnOneBatchIsTheFullRange() {
    RangeCollector c = CalibrationMethod.ENTROPY.collector();
    c.add(new float[] {-0.5f, 0.1f, 3});

    // 128 bins and 128 quantized bins leave one window: the whole histogram, clamped to [min, max].
    assertThat(c.range()).isEqualTo(new TensorRange(-0.5f, 3));
  }

  @Test
  void entropyClipsALongTail() {
    SplittableRandom random = new SplittableRandom(7);
    float[] values = new float[50_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    values[0] = 40;
    EntropyCollector c = new EntropyCollector(2048, 128);
    c.add(values);

    TensorRange r = c.range();

    // The KL-best window keeps the bulk [-1, 1] and drops most of the way to the outlier.
    assertThat(r.max()).isBetween(1f, 10f);
    assertThat(r.min()).isBetween(-10f, -0.99f);
  }

  @Test
  void smoothingAndDivergenceAreOnnxRuntimes() {
    // smooth_distribution([0, 2, 2]): eps 1e-4 on the zero, 1e-4 * 1/2 taken from each non-zero.
    assertThat(EntropyCollector.smooth(new long[] {0, 2, 2})).containsExactly(new double[] {0.0001f, 2 - 0.00005f,
        2 - 0.00005f}, within(1e-7));
    assertThat(EntropyCollector.smooth(new long[] {0, 0})).isNull();
    // scipy.stats.entropy([1, 1], [1, 3]) = 0.5 ln(2) + 0.5 ln(2/3)
    assertThat(EntropyCollector.entropy(new double[] {1, 1}, new double[] {1, 3}))
        .isCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), within(1e-12));
  }

  /** y = 2 x through ONNX Runtime: the range of y is twice the range of the data, over every set. */
  @Test
  void calibratesGraphInputsAndIntermediateTensorsOverEverySet() throws Exception {
    Path model = OnnxTestModels.scale(dir.resolve("m.onnx"), 2, 2f);
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {0.5f, -1, 2, 0}, 2, 2);
    DataDirs.writeSet(data, 1, new float[] {3, 0.25f}, 1, 2);
    DataDirs.writeSet(data, 10, new float[] {-4, 1}, 1, 2);
    StringWriter err = new StringWriter();

    Map<String, TensorRange> ranges = Calibrator.calibrate(OnnxModelFile.read(model), List.of("x", "xw", "y"),
        TestDataSets.open(data), CalibrationMethod.MINMAX, new PrintWriter(err, true));

    assertThat(ranges).containsEntry("x", new TensorRange(-4, 3)).containsEntry("xw", new TensorRange(-8, 6))
        .containsEntry("y", new TensorRange(-8, 6));
    assertThat(err.toString()).contains("calibrating (minmax)").contains("3/3 sets");
  }

  @Test
  void aSetThatDoesNotFitTheModelIsNamed() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.scale(dir.resolve("m.onnx"), 2, 1f));
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {1, 2}, 1, 2);
    Files.copy(data.resolve("test_data_set_0/input_0.pb"), data.resolve("test_data_set_0/input_1.pb"));

    assertThatThrownBy(() -> Calibrator.calibrate(model, List.of("y"), TestDataSets.open(data),
        CalibrationMethod.MINMAX, null))
        .isInstanceOf(QuantizationException.class)
        .hasMessageContaining("test_data_set_0: holds 2 input(s); expected 1 (the model's inputs [x])");
  }
}
