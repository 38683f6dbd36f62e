package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.tensorrt.TensorDataType;
import io.edgeai4j.nativebindings.tensorrt.TensorInfo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's IO as the SPI sees it, and the checks of a run's inputs (pure Java, as built from TensorInfos). */
class EngineSignatureTest {
  /** x: float32[-1, 4] with profile 1..32; n: int64[-1, 1] with 1..32; h: float16[2, 3] fixed; y: float16 output. */
  private static final EngineSignature SIGNATURE = new EngineSignature(List.of(
      new TensorInfo("x", true, TensorDataType.FLOAT32, new long[] {-1, 4}, new long[] {1, 4}, new long[] {16, 4},
          new long[] {32, 4}),
      new TensorInfo("n", true, TensorDataType.INT64, new long[] {-1, 1}, new long[] {1, 1}, new long[] {16, 1},
          new long[] {32, 1}),
      new TensorInfo("h", true, TensorDataType.FLOAT16, new long[] {2, 3}, new long[] {2, 3}, new long[] {2, 3},
          new long[] {2, 3}),
      new TensorInfo("y", false, TensorDataType.FLOAT16, new long[] {-1, 3}, new long[] {-1, 3}, new long[] {-1, 3},
          new long[] {32, 3})));

  @Test
  void inputsAndOutputsWithTheirTypesAndDynamicDimensions() {
    assertThat(SIGNATURE.inputs()).containsExactly(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 4}),
        new TensorSpec("n", ElementType.INT64, new long[] {-1, 1}),
        new TensorSpec("h", ElementType.FLOAT16, new long[] {2, 3}));
    assertThat(SIGNATURE.outputs()).containsExactly(new TensorSpec("y", ElementType.FLOAT16, new long[] {-1, 3}));
  }

  @ParameterizedTest
  @EnumSource(TensorDataType.class)
  void everyEngineTypeHasTheSpiTypeOfTheSameNameAndSize(TensorDataType type) {
    ElementType mapped = EngineSignature.elementType(type);

    assertThat(mapped.name()).isEqualTo(type.name());
    assertThat(mapped.bytes()).isEqualTo(type.bytes());
  }

  private static Tensor tensor(String name, ElementType type, String shape) {
    long[] dims = shape.isEmpty() ? new long[0] : Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
    int bytes = Math.toIntExact(Tensor.elementCount(dims) * type.bytes());
    return Tensor.wrap(name, type, dims, ByteBuffer.allocateDirect(bytes));
  }

  private static Map<String, Tensor> inputs(String x, String n) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    if (x != null) {
      m.put("x", tensor("x", ElementType.FLOAT32, x));
    }
    if (n != null) {
      m.put("n", tensor("n", ElementType.INT64, n));
    }
    m.put("h", tensor("h", ElementType.FLOAT16, "2x3"));
    return m;
  }

  @Test
  void inputsWithinTheProfileAreAccepted() {
    assertThat(SIGNATURE.check(inputs("1x4", "1x1"))).isNull();
    assertThat(SIGNATURE.check(inputs("32x4", "32x1"))).isNull();
  }

  @ParameterizedTest(name = "x {0}, n {1}")
  @CsvSource(delimiter = '|', textBlock = """
      33x4 | 33x1 | input 'x': shape [33, 4] is outside the engine's profile, expected between [1, 4] and [32, 4] (dimension 0 is 33); input 'n': shape [33, 1] is outside the engine's profile, expected between [1, 1] and [32, 1] (dimension 0 is 33)
      0x4  | 1x1  | input 'x': shape [0, 4] is outside the engine's profile, expected between [1, 4] and [32, 4] (dimension 0 is 0)
      2x5  | 2x1  | input 'x': shape [2, 5] does not match [-1, 4] (dimension 1 is 5, expected 4)
      4    | 2x1  | input 'x': shape [4] has 1 dimensions, expected 2 as in [-1, 4]
      2x4  | 3x1  | input 'n': batch size (dimension 0) is 3, expected 2 as in input 'x'
           | 2x1  | input 'x' (x:float32[-1, 4]) is missing
      """)
  void badInputsAreRefusedNamingWhatWasFoundAndExpected(String x, String n, String message) {
    assertThat(SIGNATURE.check(inputs(x, n))).isEqualTo(message);
  }

  @Test
  void anUnknownInputAndAWrongElementTypeAreBothReported() {
    Map<String, Tensor> given = inputs("2x4", null);
    given.put("n", tensor("n", ElementType.INT32, "2x1"));
    given.put("extra", tensor("extra", ElementType.FLOAT32, "1"));

    assertThat(SIGNATURE.check(given)).isEqualTo("input 'extra' is not an input of the model, expected [x, n, h];"
        + " input 'n': element type int32, expected int64");
  }
}
