package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** JSON has no NaN nor infinities: the expected {@code ["NaN", 2]} given as base64 of the type's values. */
  private static GoldenSamples nonFinite(ElementType type, String expected, String tolerance) throws Exception {
    String[] values = expected.replaceAll("[\\[\\]\" ]", "").split(",");
    ByteBuffer little = ByteBuffer.allocate(values.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (String v : values) {
      if (type == ElementType.FLOAT32) {
        little.putFloat(Float.parseFloat(v));
      } else {
        little.putDouble(Double.parseDouble(v));
      }
    }
    return GoldenSamples.parse(JSON.readTree("""
        {"tolerance": %s, "samples": [{"inputs": {"x": {"shape": [1, 1], "data": [0]}},
          "outputs": {"y": {"type": "%s", "shape": [2], "base64": "%s"}}}]}"""
        .formatted(tolerance, type.spelling(), java.util.Base64.getEncoder().encodeToString(little.array()))));
  }

  private static Tensor tensor(ElementType type, double a, double b) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2 * type.bytes()).order(ByteOrder.nativeOrder());
    for (double v : new double[] {a, b}) {
      switch (type) {
        case FLOAT32 -> buffer.putFloat((float) v);
        case FLOAT64 -> buffer.putDouble(v);
        case FLOAT16 -> buffer.putShort(HalfFloats.floatToFloat16((float) v));
        case BFLOAT16 -> buffer.putShort(HalfFloats.floatToBfloat16((float) v));
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
      float32 | NaN found, a number expected    | NaN | 2.0     | [1, 2]       | null                                  | [0]: NaN, expected 1.0 ± 0.0011
      float32 | +Inf expected and found         | Infinity  | 2.0 | ["Infinity", 2]  | null                          | pass
      float64 | -Inf expected and found         | -Infinity | 2.0 | ["-Infinity", 2] | {"absolute": 0, "relative": 0} | pass
      float64 | +Inf found, -Inf expected       | Infinity  | 2.0 | ["-Infinity", 2] | null                          | [0]: Infinity, expected -Infinity ± Infinity
      float32 | +Inf found, a number expected   | Infinity  | 2.0 | [1, 2]           | null                          | [0]: Infinity, expected 1.0 ± 0.0011
      int64   | integers equal                  | 7   | -3      | [7, -3]      | {"absolute": 10}                      | pass
      int64   | integers differ by 1            | 7   | -2      | [7, -3]      | {"absolute": 10}                      | [1]: -2, expected -3 (int64 outputs must be equal)
      int32   | integers differ                 | 8   | -3      | [7, -3]      | null                                  | [0]: 8, expected 7 (int32 outputs must be equal)
      bool    | booleans differ                 | 1   | 0       | [true, true] | null                                  | [1]: 0, expected 1 (bool outputs must be equal)
      bool    | any non-zero byte is true       | 2   | 0       | [true, false]| null                                  | pass
      uint8   | unsigned bytes equal            | 200 | 255     | [200, 255]   | null                                  | pass
      float16 | float16 within tolerance        | 1.0 | 100.0625 | [1, 100]    | {"absolute": 0.1, "relative": 0}      | pass
      float16 | float16 beyond it               | 1.0 | 100.25  | [1, 100]     | {"absolute": 0.1, "relative": 0}      | [1]: 100.25, expected 100.0 ± 0.1
      bfloat16 | bfloat16 equal                 | 1.0 | -2.0    | [1, -2]      | {"absolute": 0, "relative": 0}        | pass
      bfloat16 | bfloat16 one step apart        | 1.0 | 2.015625 | [1, 2]      | {"absolute": 0, "relative": 0}        | [1]: 2.015625, expected 2.0 ± 0
      """)
  void eachElementIsComparedByTheRulesOfItsType(String type, String what, String a, String b, String expected,
      String tolerance, String outcome) throws Exception {
    ElementType elementType = ElementType.parse(type);
    Tensor actual = tensor(elementType, Double.parseDouble(a), Double.parseDouble(b));
    GoldenSamples g = expected.contains("\"") ? nonFinite(elementType, expected, tolerance)
        : golden(type, expected, tolerance);
    if (outcome.equals("pass")) {
      assertThatCode(() -> g.check(answering(actual), INPUTS)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> g.check(answering(actual), INPUTS)).isInstanceOf(GoldenCheckException.class)
          .hasMessageStartingWith("golden sample 0, output 'y'" + outcome);
    }
  }

  @Test
  void aFileLargerThan64MiBIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("golden.json");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(GoldenSamples.MAX_FILE_BYTES + 1);
    }
    assertThatThrownBy(() -> GoldenSamples.read(file)).isInstanceOf(ModelRepositoryException.class)
        .hasMessage(file + ": 67108865 bytes, at most 67108864 bytes (64 MiB) allowed for a golden.json");
    Files.writeString(file, "{\"samples\": [{\"inputs\": {\"x\": {\"shape\": [1, 1], \"data\": [0]}},"
        + " \"outputs\": {\"y\": {\"shape\": [1], \"data\": [0]}}}]}");
    assertThat(GoldenSamples.read(file).samples()).as("a small file still reads").hasSize(1);
  }

  @ParameterizedTest(name = "limit {0} bytes: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      24 | pass
      23 | samples[1].outputs.y: the tensors decoded so far hold 24 bytes, at most 23 bytes allowed for all the samples of a golden.json
      12 | samples[1].inputs.x: the tensors decoded so far hold 16 bytes, at most 12 bytes allowed for all the samples of a golden.json
      """)
  void theDecodedTensorsOfAllSamplesTogetherHaveALimit(long limit, String outcome) throws Exception {
    // Two samples of a 1-element input and a 2-element output, float32: 4 + 8 + 4 + 8 = 24 bytes.
    String sample = "{\"inputs\": {\"x\": {\"shape\": [1, 1], \"data\": [0]}}, \"outputs\": {\"y\": {\"shape\": [2],"
        + " \"data\": [1, 2]}}}";
    var root = JSON.readTree("{\"samples\": [" + sample + ", " + sample + "]}");
    if (outcome.equals("pass")) {
      assertThat(GoldenSamples.parse(root, limit).samples()).hasSize(2);
    } else {
      assertThatThrownBy(() -> GoldenSamples.parse(root, limit)).isInstanceOf(TensorFormatException.class)
          .hasMessage(outcome);
    }
    assertThat(GoldenSamples.MAX_DECODED_BYTES).isEqualTo(256L << 20);
  }
}
