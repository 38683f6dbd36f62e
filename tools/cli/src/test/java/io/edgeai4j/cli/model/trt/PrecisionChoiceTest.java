package io.edgeai4j.cli.model.trt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.cli.CliRun;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.inspect.ModelInspector;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The precision decision on real models: a float MLP and the quantizer's outputs of it. */
class PrecisionChoiceTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} --fp16 {1}")
  @CsvSource(delimiter = '|', value = {
      "float       | false | FP32 |    | a float model, no --fp16",
      "float       | true  | FP16 |    | --fp16",
      "weight-only | false | INT8 |    | the model holds 2 DequantizeLinear",
      "weight-only | true  |      | 2  | is a QDQ model (2 DequantizeLinear)",
      "dynamic     | false |      | 65 | and no QuantizeLinear/DequantizeLinear: TensorRT builds INT8 only from Q/DQ",
  })
  void decidesFromTheModelsQuantizationOpsAndFp16(String kind, boolean fp16, String precision, Integer exitCode,
      String text) throws Exception {
    Path model = model(kind);

    if (precision != null) {
      PrecisionChoice.Choice choice = PrecisionChoice.decide(ModelInspector.inspect(model), fp16);
      assertThat(choice.precision().name()).isEqualTo(precision);
      assertThat(choice.why()).contains(text);
    } else {
      assertThatThrownBy(() -> PrecisionChoice.decide(ModelInspector.inspect(model), fp16))
          .isInstanceOfSatisfying(ConvertException.class, e -> assertThat(e.exitCode()).isEqualTo(exitCode))
          .hasMessageContaining(text);
    }
  }

  /** A float MLP, or the quantizer's {@code --weight-only}/{@code --dynamic} output of it. */
  private Path model(String kind) throws Exception {
    Path floats = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {4, 8, 2}, 3);
    if (kind.equals("float")) {
      return floats;
    }
    Path out = dir.resolve(kind + ".onnx");
    CliRun run = CliRun.of("model", "quantize", "--" + kind, floats.toString(), out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return out;
  }
}
