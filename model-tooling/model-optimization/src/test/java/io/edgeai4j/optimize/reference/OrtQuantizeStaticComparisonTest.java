package io.edgeai4j.optimize.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.convert.OpsetConverter;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.evaluate.EvaluationOptions;
import io.edgeai4j.optimize.evaluate.EvaluationReport;
import io.edgeai4j.optimize.evaluate.ModelEvaluator;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.quantize.CalibrationMethod;
import io.edgeai4j.optimize.quantize.QdqQuantizer;
import io.edgeai4j.optimize.quantize.QuantType;
import io.edgeai4j.optimize.quantize.QuantizeOptions;
import io.edgeai4j.optimize.quantize.Target;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our static QDQ quantization of a real trained model against what ONNX Runtime 1.30's own {@code quantize_static}
 * got on it with the same calibration data and options, as recorded in {@code shared/reference/compression.md}
 * §1.11 (no Python here): Tribuo's {@code cnn_mnist.onnx} (PyTorch LeNet-style CNN, opset 9, 21,840 parameters) on
 * Tribuo's 62 MNIST test rows, raw 0-255 pixels, used both to calibrate and to evaluate. ONNX Runtime classified
 * 62/62 correctly with every static QDQ variant; its files were 27,598 bytes (per tensor) and 29,022 bytes (per
 * channel U8S8, after converting the model to opset 13).
 */
class OrtQuantizeStaticComparisonTest {
  private static final int ROWS = 62;
  /** ONNX Runtime's recorded result for every static QDQ variant of §1.11, and the fp32 model's. */
  private static final double ORT_ACCURACY = 62.0 / 62;
  private static final EvaluationOptions ACCURACY_ONLY = new EvaluationOptions(1, 1, 0);

  @TempDir static Path dir;
  static Path model;
  static Path data;

  @BeforeAll
  static void writeData() throws Exception {
    model = resource("cnn_mnist.onnx");
    LibSvmRows rows = LibSvmRows.read(resource("mnist_test_head.libsvm"), "input_image", 1, 28, 28);
    data = dir.resolve("mnist-head");
    TestDataSetWriter.write(data, List.of(rows.input()), Optional.of(rows.labels()), ROWS);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(OrtQuantizeStaticComparisonTest.class.getResource("/tribuo/" + name).toURI());
  }

  @Test
  void theDataAndTheFp32ModelAreTribuos() throws Exception {
    TestDataSets sets = TestDataSets.open(data);
    TestDataSets.DataSet set = sets.iterator().next();
    assertThat(set.inputs().get(0).shape()).containsExactly(ROWS, 1, 28, 28);
    // Raw pixels, not scaled to [0, 1].
    assertThat(Arrays.stream(set.inputs().get(0).values()).max().getAsDouble()).isEqualTo(255.0);
    assertThat(Files.size(model)).isEqualTo(88_469L);
    assertThat(OpsetConverter.opset(OnnxModelFile.read(model))).isEqualTo(9L);

    EvaluationReport fp32 = ModelEvaluator.evaluate(model, model, data, ACCURACY_ONLY);
    // Tribuo's TestOnnxRuntime.testCNNMNIST asserts accuracy 1.0 on these rows; ONNX Runtime 1.30 measured 62/62.
    assertThat(fp32.rows()).isEqualTo(ROWS);
    assertThat(fp32.reference().top1()).hasValue(ORT_ACCURACY);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      # variant,                      method,     per-channel, activations, opset first, ORT bytes
      static QDQ S8S8 MinMax (defaults), MINMAX,  false,       INT8,        11,           27598
      static QDQ S8S8 Entropy,           ENTROPY, false,       INT8,        11,           27598
      static QDQ S8S8 Percentile,        PERCENTILE, false,    INT8,        11,           27598
      static QDQ U8S8 per channel,       MINMAX,  true,        UINT8,       13,          29022
      """)
  void quantizedAsOnnxRuntimeQuantizeStatic(String variant, CalibrationMethod method, boolean perChannel,
      QuantType activations, int convertFirst, long ortBytes) throws Exception {
    OnnxMl.ModelProto original = OnnxModelFile.read(model);
    if (convertFirst > 0) {
      // As for ONNX Runtime (§1.11): its tool raises opset 9 only to 11, where DequantizeLinear has no axis.
      original = OpsetConverter.upgrade(original, convertFirst);
    }
    QuantizeOptions options = new QuantizeOptions(method, perChannel, false, activations, false, Set.of(),
        Target.ONNXRUNTIME);
    QdqQuantizer.Result result = QdqQuantizer.quantize(original, TestDataSets.open(data), options, null);
    Path out = dir.resolve(variant.replaceAll("[^A-Za-z0-9]+", "_") + ".onnx");
    OnnxModelFile.writeChecked(result.model(), out);

    EvaluationReport report = ModelEvaluator.evaluate(model, out, data, ACCURACY_ONLY);
    double fp32 = report.reference().top1().orElseThrow();
    double int8 = report.candidate().top1().orElseThrow();
    long bytes = Files.size(out);
    double sizeRatio = (double) bytes / ortBytes;
    System.out.printf(Locale.ROOT, "%-34s opset %d, %d/%d correct (fp32 %d/%d), agreement %.4f,"
            + " output error max %.4f mean %.5f, %,d bytes = %.3f x ONNX Runtime's %,d, %.3f x fp32%n", variant,
        result.opsetAfter(), Math.round(int8 * ROWS), ROWS, Math.round(fp32 * ROWS), ROWS, report.agreement(),
        report.maxAbsError(), report.meanAbsError(), bytes, sizeRatio, ortBytes, (double) bytes / Files.size(model));

    System.out.println("  " + Breakdown.of(result.model()));
    assertThat(result.opsetAfter()).isEqualTo(perChannel ? 13L : 11L);
    // The targets: within 1 point of fp32, within 0.5 point of quantize_static (62/62 for every variant).
    // With 62 rows one row is 1.6 points, so both mean: every row still right.
    assertThat(int8).isCloseTo(fp32, within(0.01));
    assertThat(int8).isCloseTo(ORT_ACCURACY, within(0.005));
    assertThat(sizeRatio).as("file size against ONNX Runtime's %d bytes", ortBytes).isBetween(0.85, 1.15);
  }
}
