package io.edgeai4j.inference.module.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.ActivationEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActivationCodecTest {
  private static float[] random(int n, long seed, double range) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * range);
    }
    return v;
  }

  private static long[] shape(String text) {
    if (text == null || text.isBlank()) {
      return new long[0];
    }
    String[] parts = text.trim().split("x");
    long[] s = new long[parts.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Long.parseLong(parts[i]);
    }
    return s;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      float32 | 1x4        | 1
      float32 | 2x16x64    | 1000
      float32 |            | 3
      float32 | 1x0x8      | 1
      float16 | 1x4        | 1
      float16 | 2x16x64    | 1000
      float16 | 3x5        | 0.0001
      int8    | 1x4        | 1
      int8    | 2x16x64    | 1000
      int8    | 8x8x8x8    | 0.01
      """)
  void roundTripsGiveTheValuesBackExactlyOrWithinTheEncodingsStep(String encoding, String dims, double range)
      throws Exception {
    long[] shape = shape(dims);
    float[] values = random((int) Tensor.elementCount(shape), 17, range);
    Tensor a = Tensor.ofFloats("act/0", shape, values);
    Tensor ids = Tensor.wrap("ids", ElementType.INT64, new long[] {2},
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-7).putLong(Long.MAX_VALUE).flip());
    ActivationEncoding e = ActivationEncoding.parse(encoding);
    ActivationCodec.Encoded encoded = ActivationCodec.encode(List.of(a, ids), e, "{\"kind\":\"infer\"}");
    ActivationCodec.Decoded decoded = ActivationCodec.decode(encoded.payload());

    assertThat(decoded.context()).isEqualTo("{\"kind\":\"infer\"}");
    assertThat(decoded.tensors()).hasSize(2);
    Tensor back = decoded.tensors().get(0);
    assertThat(back.name()).isEqualTo("act/0");
    assertThat(back.type()).isEqualTo(ElementType.FLOAT32);
    assertThat(back.shape()).containsExactly(shape);
    float[] got = back.toFloats();
    int bytesPer = switch (e) {
      case FLOAT32 -> 4;
      case FLOAT16 -> 2;
      case INT8 -> 1;
    };
    assertThat(encoded.payload().length).as("header + data + CRC").isLessThan(values.length * bytesPer + 200);
    switch (e) {
      case FLOAT32 -> assertThat(got).containsExactly(values);
      case FLOAT16 -> {
        for (int i = 0; i < values.length; i++) {
          assertThat(got[i]).isEqualTo(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(values[i])));
        }
      }
      case INT8 -> {
        float min = 0;
        float max = 0;
        for (float v : values) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        float step = (max - min) / 255;
        for (int i = 0; i < values.length; i++) {
          assertThat(Math.abs(got[i] - values[i])).as("element %d", i).isLessThanOrEqualTo(step * 0.5001f + 1e-12f);
        }
      }
    }
    // Tensors of other types travel raw whatever the encoding.
    Tensor idsBack = decoded.tensors().get(1);
    assertThat(idsBack.type()).isEqualTo(ElementType.INT64);
    assertThat(idsBack.data().getLong(0)).isEqualTo(-7);
    assertThat(idsBack.data().getLong(8)).isEqualTo(Long.MAX_VALUE);
    assertThat(encoded.losses()).isEqualTo(new ActivationCodec.Losses(0, 0, 0));
  }

  @Test
  void float16CarriesNanInfinitiesAndSubnormalsAndCountsWhatOverflows() throws Exception {
    float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p-24f, 3 * 0x1p-24f,
        0x1p-14f, 1e-9f, -0f, 65504f, 65520f, -1e6f};
    ActivationCodec.Encoded encoded = ActivationCodec.encode(List.of(Tensor.ofFloats("h", new long[] {11}, values)),
        ActivationEncoding.FLOAT16, "{}");
    float[] got = ActivationCodec.decode(encoded.payload()).tensors().get(0).toFloats();

    assertThat(got[0]).isNaN();
    assertThat(got[1]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(got[2]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(got[3]).as("the smallest subnormal").isEqualTo(0x1p-24f);
    assertThat(got[4]).isEqualTo(3 * 0x1p-24f);
    assertThat(got[5]).as("the smallest normal").isEqualTo(0x1p-14f);
    assertThat(got[6]).as("below half the smallest subnormal").isEqualTo(0f);
    assertThat(Float.floatToRawIntBits(got[7])).as("-0 keeps its sign").isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(got[8]).isEqualTo(65504f);
    assertThat(got[9]).as("rounds beyond the largest float16").isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(got[10]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(encoded.losses()).isEqualTo(new ActivationCodec.Losses(2, 0, 0));
  }

  @Test
  void int8SaturatesInfinitiesSendsNanAsZeroAndCountsThem() throws Exception {
    float[] values = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 2.55f, -2.55f, 0f};
    ActivationCodec.Encoded encoded = ActivationCodec.encode(List.of(Tensor.ofFloats("q", new long[] {6}, values)),
        ActivationEncoding.INT8, "{}");
    float[] got = ActivationCodec.decode(encoded.payload()).tensors().get(0).toFloats();

    assertThat(got[0]).as("+inf saturates at the top of the range").isCloseTo(2.55f, org.assertj.core.data.Offset
        .offset(0.011f));
    assertThat(got[1]).as("-inf saturates at the bottom").isCloseTo(-2.55f, org.assertj.core.data.Offset.offset(0.011f));
    assertThat(got[2]).as("NaN becomes the zero point").isEqualTo(0f);
    assertThat(got[5]).as("0 is exact: the range always holds it").isEqualTo(0f);
    assertThat(encoded.losses()).isEqualTo(new ActivationCodec.Losses(0, 2, 1));
    // All zeros: no range, every value exact.
    float[] zeros = ActivationCodec.decode(ActivationCodec.encode(List.of(Tensor.ofFloats("z", new long[] {3},
        0, 0, 0)), ActivationEncoding.INT8, "{}").payload()).tensors().get(0).toFloats();
    assertThat(zeros).containsExactly(0, 0, 0);
  }

  /** The quantized bytes, scale and zero point are those of ONNX Runtime's DynamicQuantizeLinear on the same tensor. */
  @Test
  void int8IsWhatOnnxRuntimesDynamicQuantizeLinearComputes() throws Exception {
    float[] values = random(4096, 5, 3);
    values[0] = 1.5f * 3 / 255; // a tie or two, rounded half to even
    values[1] = -0.5f * 3 / 255;
    values[2] = 4.2f;
    ActivationCodec.Quantized ours = ActivationCodec.quantize(values);

    OnnxMl.ValueInfoProto x = info("x", OnnxMl.TensorProto.DataType.FLOAT, values.length);
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("dql").addInput(x)
        .addOutput(info("y", OnnxMl.TensorProto.DataType.UINT8, values.length))
        .addOutput(info("s", OnnxMl.TensorProto.DataType.FLOAT))
        .addOutput(info("z", OnnxMl.TensorProto.DataType.UINT8))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("DynamicQuantizeLinear").addInput("x").addOutput("y")
            .addOutput("s").addOutput("z")).build();
    byte[] model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OnnxMl.OperatorSetIdProto
        .newBuilder().setVersion(13)).setGraph(graph).build().toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(values.length * 4)
            .order(ByteOrder.nativeOrder()).asFloatBuffer().put(values).flip(), new long[] {values.length});
        OrtSession.Result out = session.run(Map.of("x", in))) {
      ByteBuffer y = ((OnnxTensor) out.get(0)).getByteBuffer();
      float scale = ((OnnxTensor) out.get(1)).getFloatBuffer().get(0);
      int zero = ((OnnxTensor) out.get(2)).getByteBuffer().get(0) & 0xff;
      assertThat(ours.scale()).isEqualTo(scale);
      assertThat(ours.zeroPoint()).isEqualTo(zero);
      byte[] theirs = new byte[values.length];
      y.get(theirs);
      assertThat(ours.bytes()).containsExactly(theirs);
    }
  }

  private static OnnxMl.ValueInfoProto info(String name, OnnxMl.TensorProto.DataType type, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a data byte flipped   | 60  | damaged: its CRC-32C is
      the magic             | 0   | not an activations payload: the first bytes are 0x
      the version           | 4   | activations payload format version 2, this module reads version 1
      truncated             | -1  | too short for its header
      """)
  void aCorruptPayloadIsRefusedSayingWhatIsWrong(String what, int offset, String expected) {
    byte[] payload = ActivationCodec.encode(List.of(Tensor.ofFloats("x", new long[] {1, 16}, random(16, 1, 1))),
        ActivationEncoding.FLOAT32, "{}").payload();
    byte[] bad = payload.clone();
    if (offset < 0) {
      bad = java.util.Arrays.copyOf(payload, 10);
    } else if (offset == 4) {
      bad[4] = 2;
    } else {
      bad[offset] ^= 0x10;
    }
    byte[] corrupt = bad;
    assertThatThrownBy(() -> ActivationCodec.decode(corrupt)).isInstanceOf(ActivationFormatException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void aHeaderThatDoesNotHoldItsTensorsIsRefusedEvenWithAValidChecksum() {
    byte[] payload = ActivationCodec.encode(List.of(Tensor.ofFloats("x", new long[] {1, 4}, 1, 2, 3, 4)),
        ActivationEncoding.FLOAT32, "{}").payload();
    // The first dimension (after magic, version, count, context length, context "{}", name length, "x", type,
    // encoding, rank) says 3 rows; the CRC is recomputed so only the structure is wrong.
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(4 + 1 + 2 + 4 + 2 + 2 + 1 + 3, 3);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(payload, 0, payload.length - 4);
    b.putInt(payload.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> ActivationCodec.decode(payload)).isInstanceOf(ActivationFormatException.class)
        .hasMessage("activations payload: tensor 'x' of shape [3, 4] encoded RAW needs 48 bytes, the header says 16");
  }
}
