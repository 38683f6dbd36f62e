package io.edgeai4j.optimize.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgeai4j.optimize.data.SimulatedData;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * A larger labelled check than MNIST's 62 rows: the committed fault classifier (a real trained model, 93.65 % top-1
 * on its 2850 held-out simulated windows) quantized with each static mode, calibrated on windows of the training
 * seed, evaluated on the held-out runs. One row is 0.035 points, so the "within 1 point of fp32" is
 * measurable here. No ONNX Runtime figure exists for this model.
 */
class FaultClassifierQuantizationTest {
  private static final Path MODEL = Path.of("../../model-repository/fault-classifier/1/model.onnx")
      .toAbsolutePath().normalize();
  private static final EvaluationOptions ACCURACY_ONLY = new EvaluationOptions(1, 1, 0);

  @TempDir static Path dir;
  static Path calibration;
  static Path heldOut;

  @BeforeAll
  static void writeData() throws Exception {
    // fault-classifier-training's TrainingRecipe: seed 1 trains, seed 2 (10 runs per class, 12 s) tests.
    calibration = write("calibration", SimulatedData.of(SimulatedData.Kind.FEATURES, 1, 2, Duration.ofSeconds(12)));
    heldOut = write("held-out", SimulatedData.of(SimulatedData.Kind.FEATURES, 2, 10, Duration.ofSeconds(12)));
  }

  private static Path write(String name, SimulatedData data) throws Exception {
    SimulatedData.Rows rows = data.generate();
    Path out = dir.resolve(name);
    TestDataSetWriter.write(out, List.of(rows.input()), Optional.of(rows.labels()), 100);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      # variant,                        method,     per-channel, activations, exclude
      S8S8 MinMax --exclude Mul Add,    MINMAX,     false,       INT8,        Mul;Add
      S8S8 Entropy --exclude Mul Add,   ENTROPY,    false,       INT8,        Mul;Add
      S8S8 Percentile --exclude Mul Add, PERCENTILE, false,      INT8,        Mul;Add
      U8S8 per channel --exclude Mul Add, MINMAX,  true,        UINT8,       Mul;Add
      """)
  void quantizedWithinOnePointOfFp32(String variant, CalibrationMethod method, boolean perChannel,
      QuantType activations, String exclude) throws Exception {
    Set<String> excluded = exclude.isEmpty() ? Set.of() : Set.of(exclude.split(";"));
    QuantizeOptions options = new QuantizeOptions(method, perChannel, false, activations, false, excluded,
        Target.ONNXRUNTIME);
    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(MODEL), TestDataSets.open(calibration),
        options, null);
    Path out = dir.resolve(variant.replaceAll("[^A-Za-z0-9]+", "_") + ".onnx");
    OnnxModelFile.writeChecked(result.model(), out);

    EvaluationReport report = ModelEvaluator.evaluate(MODEL, out, heldOut, ACCURACY_ONLY);
    double fp32 = report.reference().top1().orElseThrow();
    double int8 = report.candidate().top1().orElseThrow();
    System.out.printf(Locale.ROOT, "%-24s %d rows: top-1 %.2f %% (fp32 %.2f %%), agreement %.2f %%, %d quantized"
            + " nodes, %,d bytes (fp32 %,d)%n", variant, report.rows(), 100 * int8, 100 * fp32,
        100 * report.agreement(), result.quantizedNodes(), Files.size(out), Files.size(MODEL));

    assertThat(report.rows()).isEqualTo(2850);
    // fault-classifier-training/README.md: 2669 of 2850.
    assertThat(fp32).isCloseTo(2669.0 / 2850, within(1e-9));
    assertThat(int8).isCloseTo(fp32, within(0.01));
  }

  /**
   * Documents a limitation: with the defaults the Mul and Add of the model's log compression (before its Log, on the
   * raw features, band energies spanning orders of magnitude) are quantized too, so the input gets one int8 scale
   * over its calibrated range [-1.53, 26.6] (a step of 0.11): every value within half a step of 0 is quantized to 0
   * before the Log, which loses the small values the log compression is there for. Top-1 falls by more than 10
   * points; `--exclude Mul,Add` (above) keeps it within 1 point. ONNX Runtime's `quantize_static` also quantizes Mul
   * and Add by default (not measured on this model).
   */
  @Test
  void theDefaultsQuantizeTheLogCompressionAndLoseMoreThanTenPoints() throws Exception {
    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(MODEL), TestDataSets.open(calibration),
        QuantizeOptions.defaults(), null);
    Path out = dir.resolve("defaults.onnx");
    OnnxModelFile.writeChecked(result.model(), out);

    EvaluationReport report = ModelEvaluator.evaluate(MODEL, out, heldOut, ACCURACY_ONLY);
    double fp32 = report.reference().top1().orElseThrow();
    double int8 = report.candidate().top1().orElseThrow();
    System.out.printf(Locale.ROOT, "defaults: top-1 %.2f %% (fp32 %.2f %%), agreement %.2f %%, input range %s%n",
        100 * int8, 100 * fp32, 100 * report.agreement(), result.ranges().get("features"));

    assertThat(int8).isLessThan(fp32 - 0.10);
  }
}
