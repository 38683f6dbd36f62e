package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineOptionsTest {
  @ParameterizedTest(name = "qdq {0}, configured {1} -> {2}")
  @CsvSource(textBlock = """
      false,     , FP32
      false, FP32, FP32
      false, FP16, FP16
      true ,     , INT8
      true , INT8, INT8
      """)
  void precisionFromTheModelAndTheSetting(boolean qdq, Precision configured, Precision expected) {
    assertThat(EngineOptions.precision(qdq, Optional.ofNullable(configured))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "qdq {0}, configured {1}")
  @CsvSource(delimiter = '|', textBlock = """
      false | INT8 | tensorrt.precision is int8 but the model has no QuantizeLinear/DequantizeLinear nodes; int8 needs a QDQ model (edge model quantize --target tensorrt IN.onnx OUT.onnx), expected fp32 or fp16 for this one
      true  | FP16 | tensorrt.precision is fp16 but the model is quantized (QDQ: QuantizeLinear/DequantizeLinear nodes), which TensorRT builds as int8; remove the setting or set "int8", or use the unquantized model
      true  | FP32 | tensorrt.precision is fp32 but the model is quantized (QDQ: QuantizeLinear/DequantizeLinear nodes), which TensorRT builds as int8; remove the setting or set "int8", or use the unquantized model
      """)
  void aPrecisionTheModelCannotHonourIsRefused(boolean qdq, Precision configured, String message) {
    assertThatThrownBy(() -> EngineOptions.precision(qdq, Optional.of(configured)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  private static TensorSpec spec(String name, long... shape) {
    return new TensorSpec(name, ElementType.FLOAT32, shape);
  }

  private static long[] dims(String text) {
    return Arrays.stream(text.split("x")).mapToLong(Long::parseLong).toArray();
  }

  @ParameterizedTest(name = "{0} with maxBatchSize {1}")
  @CsvSource(textBlock = """
      -1x4,        32, 1x4,       16x4,       32x4
      -1x4,        1,  1x4,       1x4,        1x4
      -1x4,        3,  1x4,       1x4,        3x4
      -1x3x32x32,  64, 1x3x32x32, 32x3x32x32, 64x3x32x32
      """)
  void aDynamicBatchGetsMinOneOptHalfMaxTheMaxBatchSize(String shape, int maxBatchSize, String min, String opt,
      String max) {
    List<ShapeProfile> profiles = EngineOptions.profiles(List.of(spec("x", dims(shape))), maxBatchSize, Map.of());

    assertThat(profiles).containsExactly(new ShapeProfile("x", dims(min), dims(opt), dims(max)));
  }

  @Test
  void fixedInputsNeedNoProfileAndExplicitShapesWin() {
    ShapeProfile explicit = new ShapeProfile("y", new long[] {2, 5}, new long[] {4, 5}, new long[] {6, 5});

    List<ShapeProfile> profiles = EngineOptions.profiles(List.of(spec("x", 1, 4), spec("y", -1, -1)), 32,
        Map.of("y", explicit));

    assertThat(profiles).containsExactly(explicit);
  }

  @Test
  void aDynamicDimensionBeyondTheBatchNeedsShapes() {
    assertThatThrownBy(() -> EngineOptions.profiles(List.of(spec("img", -1, 3, -1, -1)), 8, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input 'img' [-1, 3, -1, -1] has dynamic dimension(s) [2, 3] besides the batch; give its shapes"
            + " in model.json: \"tensorrt\": {\"shapes\": {\"img\": {\"min\": [..], \"opt\": [..], \"max\": [..]}}}");
  }

  @Test
  void shapesForAnUnknownInputOrOfAnotherShapeAreRefused() {
    ShapeProfile forZ = ShapeProfile.fixed("z", 1, 4);
    assertThatThrownBy(() -> EngineOptions.profiles(List.of(spec("x", -1, 4)), 8, Map.of("z", forZ)))
        .hasMessage("tensorrt.shapes names input 'z', the model's inputs are [x]");
    ShapeProfile wrong = new ShapeProfile("x", new long[] {1, 5}, new long[] {2, 5}, new long[] {4, 5});
    assertThatThrownBy(() -> EngineOptions.profiles(List.of(spec("x", -1, 4)), 8, Map.of("x", wrong)))
        .hasMessage("tensorrt.shapes.x: [1, 5] does not fit the model's input [-1, 4] (same rank, fixed dimensions"
            + " equal)");
  }
}
