package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TensorCodec codec = new TensorCodec(Optional.empty());

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      float32 | [1.5, -2, 0.25, 3e10]
      float64 | [1.5, -2, 0.25, 1e300]
      float16 | [1.5, -2, 0.000061035156, 65504]
      bfloat16 | [1.5, -2, 0.1, 3e38]
      int8    | [-128, 0, 1, 127]
      uint8   | [0, 1, 128, 255]
      int32   | [-2147483648, 0, 7, 2147483647]
      int64   | [-9223372036854775808, 0, 7, 9223372036854775807]
      bool    | [true, false, false, true]
      """)
  void everyElementTypeRoundTripsThroughJsonAndBase64(String type, String data) throws Exception {
    JsonNode node = JSON.readTree("{\"type\": \"" + type + "\", \"shape\": [2, 2], \"data\": " + data + "}");
    Tensor tensor = codec.decode("x", node, "inputs.x");
    assertThat(tensor.type()).isEqualTo(ElementType.parse(type));
    assertThat(tensor.shape()).containsExactly(2, 2);
    JsonNode json = TensorCodec.encode(tensor, TensorEncoding.JSON);
    assertThat(json.get("type").asText()).isEqualTo(type);
    assertThat(json.get("data")).hasSize(4);
    assertThat(codec.decode("x", json, "x").data()).isEqualTo(tensor.data());
    JsonNode base64 = TensorCodec.encode(tensor, TensorEncoding.BASE64);
    assertThat(base64.has("data")).isFalse();
    assertThat(codec.decode("x", base64, "x").data()).isEqualTo(tensor.data());
  }

  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource(textBlock = """
      float32, 0
      float32, 1
      float32, 3
      float64, 1
      float64, 5
      int8,    1
      int8,    2
      int8,    3
      int8,    64
      uint8,   7
      int32,   2
      int64,   3
      bool,    5
      float16, 3
      bfloat16, 5
      """)
  void base64IsExactlyJavasEncodingOfTheLittleEndianBytesAndDecodesBackBitForBit(String type, int count)
      throws Exception {
    ElementType elementType = ElementType.parse(type);
    // Every byte pattern, not only valid numbers: NaN payloads and any bool byte must survive too.
    byte[] little = new byte[count * elementType.bytes()];
    for (int i = 0; i < little.length; i++) {
      little[i] = (byte) (i * 37 + 11);
    }
    Tensor tensor = codec.decode("x", JSON.readTree("{\"type\": \"" + type + "\", \"shape\": [" + count
        + "], \"base64\": \"" + Base64.getEncoder().encodeToString(little) + "\"}"), "x");
    assertThat(TensorCodec.littleEndianBytes(tensor)).containsExactly(little);

    String written = JSON.writeValueAsString(TensorCodec.encode(tensor, TensorEncoding.BASE64));
    JsonNode read = JSON.readTree(written);
    assertThat(read.get("base64").textValue()).isEqualTo(Base64.getEncoder().encodeToString(little));
    assertThat(TensorCodec.encode(tensor, TensorEncoding.BASE64).toString()).isEqualTo(written);
    assertThat(codec.decode("x", read, "x").data()).isEqualTo(tensor.data());
    assertThat(TensorCodec.littleEndianBytes(codec.decode("x", read, "x"))).containsExactly(little);
    // The document before it is written (a binary node) decodes too.
    assertThat(codec.decode("x", TensorCodec.encode(tensor, TensorEncoding.BASE64), "x").data())
        .isEqualTo(tensor.data());
  }

  @Test
  void base64IsLittleEndianAndNestedJsonIsRowMajor() throws Exception {
    // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F.
    Tensor one = codec.decode("x", JSON.readTree("{\"shape\": [1], \"base64\": \"AACAPw==\"}"), "x");
    assertThat(one.toFloats()).containsExactly(1f);
    Tensor nested = codec.decode("x", JSON.readTree("{\"shape\": [2, 2], \"data\": [[1, 2], [3, 4]]}"), "x");
    assertThat(nested.toFloats()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(TensorCodec.encode(one, TensorEncoding.BASE64).get("base64").asText()).isEqualTo("AACAPw==");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not an object            | []                                                    | inputs.x: must be an object
      unknown type             | {"type": "float8", "shape": [1], "data": [1]}        | inputs.x.type: element type must be one of float32, float64, float16, bfloat16, int8, uint8, int32, int64, bool; found 'float8'
      float16 out of range     | {"type": "float16", "shape": [1], "data": [65520]}   | inputs.x.data[0]: must be a float16 number, at most 65504 in magnitude, found 65520
      bfloat16 out of range    | {"type": "bfloat16", "shape": [1], "data": [-1e39]}  | inputs.x.data[0]: must be a bfloat16 number, at most 3.39e38 in magnitude, found -1.0E39
      float16 text             | {"type": "float16", "shape": [1], "data": ["1"]}     | inputs.x.data[0]: must be a number
      no shape                 | {"data": [1]}                                         | inputs.x.shape: must be an array
      negative dimension       | {"shape": [1, -1], "data": [1]}                       | inputs.x.shape[1]: must be an integer 0 or more
      too many elements        | {"shape": [65536, 65536], "data": []}                 | inputs.x.shape: [65536, 65536] holds more than
      no data                  | {"shape": [1]}                                        | inputs.x: must have exactly one of
      two sources              | {"shape": [1], "data": [1], "base64": "AACAPw=="}    | inputs.x: must have exactly one of
      too few values           | {"shape": [2], "data": [1]}                           | inputs.x.data: holds 1 values, the shape holds 2
      too many values          | {"shape": [1], "data": [1, 2]}                        | inputs.x.data: holds more values than the shape's 1
      text value               | {"shape": [1], "data": ["a"]}                         | inputs.x.data[0]: must be a number
      int8 out of range        | {"type": "int8", "shape": [1], "data": [200]}         | inputs.x.data[0]: must be an integer -128 to 127
      fraction in int32        | {"type": "int32", "shape": [1], "data": [1.5]}        | inputs.x.data[0]: must be an integer
      bool of 2                | {"type": "bool", "shape": [1], "data": [2]}           | inputs.x.data[0]: must be true, false, 0 or 1
      bad base64               | {"shape": [1], "base64": "%%%"}                      | inputs.x.base64: is not base64
      base64 of wrong length   | {"shape": [2], "base64": "AACAPw=="}                 | inputs.x.base64: holds 4 bytes, the shape holds 2 float32 elements (8 bytes)
      file without shared dir  | {"shape": [1], "file": "/tmp/x.bin"}                 | inputs.x.file: tensors by reference are refused: no shared directory
      1 GiB shape, no values   | {"shape": [268435456], "data": []}                   | inputs.x.data: holds 0 values, the shape holds 268435456
      1 GiB shape, nested      | {"shape": [16384, 16384], "data": [[1], [2, 3]]}     | inputs.x.data: holds 3 values, the shape holds 268435456
      int64 over 1 GiB         | {"type": "int64", "shape": [268435456], "data": []}  | inputs.x.shape: [268435456] of int64 takes 2147483648 bytes, more than the 1073741824 bytes
      float64 over 1 GiB       | {"type": "float64", "shape": [134217729], "data": [1]} | inputs.x.shape: [134217729] of float64 takes 1073741832 bytes, more than
      base64 over 1 GiB        | {"type": "int64", "shape": [268435456], "base64": ""} | inputs.x.shape: [268435456] of int64 takes 2147483648 bytes
      """)
  void malformedTensorsAreRefusedNamingThePath(String what, String json, String expected) throws Exception {
    // The 1 GiB rows would allocate before refusing without the count check; surefire caps direct memory at
    // 256 MiB (pom.xml), so such an allocation fails the row instead of passing slowly.
    assertThatThrownBy(() -> codec.decode("x", JSON.readTree(json), "inputs.x"))
        .isInstanceOf(BadRequestException.class).hasMessageStartingWith(expected);
  }

  @Test
  void filesAreReadOnlyFromUnderTheSharedDirectory(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.write(shared.resolve("a.bin"), new byte[] {0, 0, (byte) 0x80, 0x3F});
    Files.write(dir.resolve("outside.bin"), new byte[4]);
    Files.createSymbolicLink(shared.resolve("link.bin"), dir.resolve("outside.bin"));
    TensorCodec files = new TensorCodec(Optional.of(shared));
    assertThat(files.decode("x", JSON.readTree("{\"shape\": [1], \"file\": \"a.bin\"}"), "x").toFloats())
        .containsExactly(1f);
    assertThat(files.decode("x", JSON.readTree("{\"shape\": [1], \"file\": \"" + shared.resolve("a.bin") + "\"}"),
        "x").toFloats()).containsExactly(1f);
    for (String outside : new String[] {"../outside.bin", dir.resolve("outside.bin").toString(), "link.bin", "."}) {
      assertThatThrownBy(() -> files.decode("x", JSON.readTree("{\"shape\": [1], \"file\": \"" + outside + "\"}"),
          "inputs.x")).as(outside).hasMessageContaining("inputs.x.file").hasMessageContaining("outside the shared");
    }
    assertThatThrownBy(() -> files.decode("x", JSON.readTree("{\"shape\": [1], \"file\": \"gone.bin\"}"), "x"))
        .hasMessageContaining("'gone.bin' does not exist");
    assertThatThrownBy(() -> files.decode("x", JSON.readTree("{\"shape\": [2], \"file\": \"a.bin\"}"), "x"))
        .hasMessageContaining("holds 4 bytes, the shape holds 2 float32 elements (8 bytes)");
  }

  @Test
  void aFileOfTwoGibibytesIsRefusedByItsShapeBeforeAnythingIsRead(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(shared.resolve("big.bin").toFile(), "rw")) {
      sparse.setLength(1L << 31);
    }
    TensorCodec files = new TensorCodec(Optional.of(shared));
    assertThatThrownBy(() -> files.decode("x", JSON.readTree(
        "{\"type\": \"int64\", \"shape\": [268435456], \"file\": \"big.bin\"}"), "inputs.x"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("inputs.x.shape: [268435456] of int64 takes 2147483648 bytes, more than the 1073741824");
  }
}
