package io.edgeai4j.inference.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.platform.Fp16Conversions;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.testing.HalfFloatModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * float16 and bfloat16 tensors through ONNX Runtime: models whose input and output are 16-bit floats load with those
 * types and run, pre-allocated outputs or not; and the API's conversions agree with ONNX Runtime's own.
 */
class HalfFloatRunTest {
  private static final int WIDTH = 4;
  private static final float[] X = {1.5f, -0.25f, 1000f, 3.140625f, 0f, -65504f / 4, 0.1f, 7f};

  @TempDir
  Path dir;

  private final Queue<OnnxValue> traced = new ConcurrentLinkedQueue<>();

  private OnnxRuntimeBackend backend(boolean preallocate) {
    return new OnnxRuntimeBackend("onnxruntime-cpu", OrtNatives.get().environment(), BackendOptions.DEFAULT,
        ExecutionProviders.CPU, preallocate, traced::add);
  }

  @ParameterizedTest(name = "preallocate={0}")
  @ValueSource(booleans = {true, false})
  void aFloat16ModelRunsOnFloat16Tensors(boolean preallocate) throws Exception {
    Path file = HalfFloatModels.float16(dir.resolve("f16.onnx"), WIDTH, 2f);
    try (OnnxRuntimeBackend backend = backend(preallocate); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.inputs()).containsExactly(new TensorSpec("x", ElementType.FLOAT16, new long[] {-1, WIDTH}));
      assertThat(model.outputs()).containsExactly(new TensorSpec("y", ElementType.FLOAT16, new long[] {-1, WIDTH}));

      Tensor y = model.run(Map.of("x", tensor(ElementType.FLOAT16, X))).get("y");

      assertThat(y.type()).isEqualTo(ElementType.FLOAT16);
      assertThat(y.shape()).containsExactly(2, WIDTH);
      ByteBuffer data = y.data();
      for (float x : X) {
        float expected = HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(
            HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(x)) * 2f));
        assertThat(ElementType.FLOAT16.readFloating(data)).as("2 * %s", x).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest(name = "preallocate={0}")
  @ValueSource(booleans = {true, false})
  void aBfloat16ModelRunsOnBfloat16Tensors(boolean preallocate) throws Exception {
    Path file = HalfFloatModels.bfloat16(dir.resolve("bf16.onnx"), WIDTH, -3f);
    try (OnnxRuntimeBackend backend = backend(preallocate); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.inputs()).containsExactly(new TensorSpec("x", ElementType.BFLOAT16, new long[] {-1, WIDTH}));

      Tensor y = model.run(Map.of("x", tensor(ElementType.BFLOAT16, X))).get("y");

      assertThat(y.type()).isEqualTo(ElementType.BFLOAT16);
      ByteBuffer data = y.data();
      for (float x : X) {
        float expected = HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(
            HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(x)) * -3f));
        assertThat(ElementType.BFLOAT16.readFloating(data)).as("-3 * %s", x).isEqualTo(expected);
      }
    }
  }

  @Test
  void widensLikeOnnxRuntimeForEveryBitPattern() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short s = (short) bits;
      assertThat(Float.floatToIntBits(HalfFloats.float16ToFloat(s)))
          .as("float16 %04x", bits).isEqualTo(Float.floatToIntBits(Fp16Conversions.fp16ToFloat(s)));
      assertThat(Float.floatToIntBits(HalfFloats.bfloat16ToFloat(s)))
          .as("bfloat16 %04x", bits).isEqualTo(Float.floatToIntBits(Fp16Conversions.bf16ToFloat(s)));
    }
  }

  @Test
  void narrowsLikeOnnxRuntimeAcrossTheFloats() {
    // Every 4099th float bit pattern (about a million, all exponents, both signs), NaNs aside: ONNX Runtime's
    // conversions round to nearest even too.
    for (long i = 0; i <= 0xffffffffL; i += 4099) {
      float f = Float.intBitsToFloat((int) i);
      if (Float.isNaN(f)) {
        continue;
      }
      assertThat(HalfFloats.floatToFloat16(f)).as("float16 of %s", f).isEqualTo(Fp16Conversions.floatToFp16(f));
      assertThat(HalfFloats.floatToBfloat16(f)).as("bfloat16 of %s", f).isEqualTo(Fp16Conversions.floatToBf16(f));
    }
  }

  /** A {@code [2, WIDTH]} tensor of the values narrowed to the type. */
  private static Tensor tensor(ElementType type, float[] values) {
    ByteBuffer b = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.nativeOrder());
    for (float v : values) {
      b.putShort(type == ElementType.FLOAT16 ? HalfFloats.floatToFloat16(v) : HalfFloats.floatToBfloat16(v));
    }
    b.flip();
    return Tensor.wrap("x", type, new long[] {2, WIDTH}, b);
  }
}
