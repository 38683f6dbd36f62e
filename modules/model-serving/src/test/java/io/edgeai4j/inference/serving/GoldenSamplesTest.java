package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The comparison rules of {@link GoldenSamples#check}, against a model that answers a fixed output. */
class GoldenSamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<TensorSpec> INPUTS = List.of(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 1}));

  /** A model whose output {@code y} is always {@code actual}. */
  private static LoadedModel answering(Tensor actual) {
    return new LoadedModel() {
      @Override
      public List<TensorSpec> inputs() {
        return INPUTS;
      }

      @Override
      public List<TensorSpec> outputs() {
        return List.of(new TensorSpec("y", actual.type(), actual.shape()));
      }

      @Override
      public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return Map.of("y", actual);
      }

      @Override
      public void close() {}
    };
  }

  private static GoldenSamples golden(String type, String expected, String tolerance) throws Exception {
    return GoldenSamples.parse(JSON.readTree("""
        {"tolerance": %s, "samples": [{"inputs": {"x": {"shape": [1, 1], "data": [0]}},
          "outputs": {"y": {"type": "%s", "shape": [2], "data": %s}}}]}""".formatted(tolerance, type, expected)));
  }

  private static Tensor tensor(ElementType type, double a, double b) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2 * type.bytes()).order(ByteOrder.nativeOrder());
    for (double v : new double[] {a, b}) {
      switch (type) {
        case FLOAT32 -> buffer.putFloat((float) v);
        case FLOAT64 -> buffer.putDouble(v);
        case INT64 -> buffer.putLong((long) v);
        case INT32 -> buffer.putInt((int) v);
        default -> buffer.put((byte) v);
      }
    }
    return Tensor.wrap("y", type, new long[] {2}, buffer.flip());
  }

  @ParameterizedTest(name = "{0} {1}: found [{2}, {3}], expected {4}, tolerance {5}: {6}")
  @CsvSource(delimiter = '|', textBlock = """
      float64 | within absolute + relative abs(e)| 1.0 | 100.1   | [1, 100]     | {"absolute": 0.01, "relative": 0.001} | pass
      float64 | just beyond it                  | 1.0 | 100.111 | [1, 100]     | {"absolute": 0.01, "relative": 0.001} | [1]: 100.111, expected 100.0 ± 0.11
      float64 | no tolerance, equal             | 1.0 | 2.0     | [1, 2]       | {"absolute": 0, "relative": 0}        | pass
      float64 | default tolerance               | 1.0 | 2.0022  | [1, 2]       | null                                  | [1]: 2.0022, expected 2.0 ± 0.0021
      float32 | NaN expected and found          | NaN | 2.0     | ["NaN", 2]   | null                                  | pass
      int64   | integers equal                  | 7   | -3      | [7, -3]      | {"absolute": 10}                      | pass
      int64   | integers differ by 1            | 7   | -2      | [7, -3]      | {"absolute": 10}                      | [1]: -2, expected -3 (int64 outputs must be equal)
      int32   | integers differ                 | 8   | -3      | [7, -3]      | null                                  | [0]: 8, expected 7 (int32 outputs must be equal)
      bool    | booleans differ                 | 1   | 0       | [true, true] | null                                  | [1]: 0, expected 1 (bool outputs must be equal)
      uint8   | unsigned bytes equal            | 200 | 255     | [200, 255]   | null                                  | pass
      """)
  void eachElementIsComparedByTheRulesOfItsType(String type, String what, String a, String b, String expected,
      String tolerance, String outcome) throws Exception {
    ElementType elementType = ElementType.parse(type);
    Tensor actual = tensor(elementType, Double.parseDouble(a), Double.parseDouble(b));
    if (expected.contains("NaN")) {
      // JSON has no NaN: give the expected tensor as base64.
      ByteBuffer little = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).putFloat(2f);
      expected = null;
      GoldenSamples g = GoldenSamples.parse(JSON.readTree("""
          {"samples": [{"inputs": {"x": {"shape": [1, 1], "data": [0]}},
            "outputs": {"y": {"shape": [2], "base64": "%s"}}}]}"""
          .formatted(java.util.Base64.getEncoder().encodeToString(little.array()))));
      assertThatCode(() -> g.check(answering(actual), INPUTS)).as("both NaN match").doesNotThrowAnyException();
      return;
    }
    GoldenSamples g = golden(type, expected, tolerance);
    if (outcome.equals("pass")) {
      assertThatCode(() -> g.check(answering(actual), INPUTS)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> g.check(answering(actual), INPUTS)).isInstanceOf(GoldenCheckException.class)
          .hasMessageStartingWith("golden sample 0, output 'y'" + outcome);
    }
  }
}
