package io.edgeai4j.optimize.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinearQuantizationTest {
  @ParameterizedTest(name = "{0} symmetric={1} reduce={2} -> [{3}, {4}]")
  @CsvSource({
      "INT8,  false, false, -128, 127",
      "INT8,  true,  false, -127, 127",
      "INT8,  true,  true,  -64,  64",
      "INT8,  false, true,  -64,  64",
      "UINT8, false, false, 0,    255",
      "UINT8, true,  false, 0,    255",
      "UINT8, false, true,  0,    127"})
  void integerRangesAreOnnxRuntimes(QuantType type, boolean symmetric, boolean reduce, int min, int max) {
    assertThat(IntRange.of(type, symmetric, reduce)).isEqualTo(new IntRange(min, max));
  }

  /** Hand-computed from scale = (rmax - rmin) / (qmax - qmin) after widening to 0, zero point as ORT rounds it. */
  @ParameterizedTest(name = "[{0}, {1}] {2} symmetric={3} reduce={4}")
  @CsvSource({
      // rmin, rmax, type, symmetric, reduce, scale, zero point
      "-1,   2,   INT8,  true,  false, 0.015748031, 0",     // 2*2/254
      "-1,   3,   INT8,  false, false, 0.015686275, -64",   // 4/255, round(-128 + 63.75)
      "-1,   3,   UINT8, false, false, 0.015686275, 64",    // 4/255, round(63.75)
      "0.5,  2,   UINT8, false, false, 0.007843138, 0",     // widened to [0, 2]
      "-3,   -1,  INT8,  false, false, 0.011764706, 127",   // widened to [-3, 0]: round(-128 + 255)
      "-1,   1,   INT8,  true,  true,  0.015625,    0",     // 2/128
      "-1,   1,   UINT8, true,  false, 0.007843138, 128",   // symmetric uint8: round(255/2) = 128 (half to even)
      "-0.5, 1.5, UINT8, false, true,  0.015748031, 32",    // 2/127, round(31.75)
      "0,    0,   INT8,  false, false, 1.0,         0",     // below float32's smallest normal
      "0,    0,   UINT8, true,  false, 1.0,         0"})
  void scaleAndZeroPointFromTheFormulas(float rmin, float rmax, QuantType type, boolean symmetric, boolean reduce,
      float scale, int zeroPoint) {
    ScaleZeroPoint p = LinearQuantization.scaleZeroPoint(rmin, rmax, IntRange.of(type, symmetric, reduce), symmetric);

    assertThat(p.scale()).isCloseTo(scale, within(1e-8f));
    assertThat(p.zeroPoint()).isEqualTo(zeroPoint);
  }

  @ParameterizedTest(name = "quantize({0} / {1} + {2}) as {3} = {4}")
  @CsvSource({
      "2.5,  1,   0,   INT8,  2",     // ties to even
      "3.5,  1,   0,   INT8,  4",
      "-2.5, 1,   0,   INT8,  -2",
      "0.75, 0.5, 0,   INT8,  2",     // 1.5 -> 2
      "1.25, 0.5, 10,  UINT8, 12",    // 2.5 -> 2, + 10
      "200,  1,   0,   INT8,  127",   // clipped to the full range
      "-200, 1,   0,   INT8,  -128",  // even for symmetric parameters: the full type range
      "-5,   1,   0,   UINT8, 0",
      "300,  1,   128, UINT8, 255"})
  void quantizeRoundsHalfToEvenAndClipsToTheFullRange(float x, float scale, int zeroPoint, QuantType type, int q) {
    assertThat(LinearQuantization.quantize(x, scale, zeroPoint, type)).isEqualTo(q);
  }

  @Test
  void badRangesAreRefusedNamingThem() {
    IntRange q = IntRange.of(QuantType.INT8, false, false);
    assertThatThrownBy(() -> LinearQuantization.scaleZeroPoint(2, 1, q, false))
        .hasMessageContaining("rmin <= rmax, found [2.0, 1.0]");
    assertThatThrownBy(() -> LinearQuantization.scaleZeroPoint(Float.NaN, 1, q, false))
        .hasMessageContaining("finite, found [NaN, 1.0]");
    assertThatThrownBy(() -> LinearQuantization.quantizeWith(new float[4], new long[] {2, 2}, 0, QuantType.INT8,
        new ScaleZeroPoint[] {new ScaleZeroPoint(1, 0)})).hasMessageContaining("expected 2 scale(s) for axis 0, found 1");
  }

  @Test
  void perChannelWeightsTakeEachChannelsOwnRange() {
    // [2, 3], axis 0: channel 0 in [-1, 2], channel 1 in [0, 0.5]
    float[] w = {-1, 0, 2, 0.5f, 0.25f, 0};
    QuantizedTensor t = LinearQuantization.quantizeWeight(w, new long[] {2, 3}, 0, QuantType.INT8, true, false);

    assertThat(t.params()).hasSize(2);
    assertThat(t.params()[0].scale()).isCloseTo(4f / 254, within(1e-9f));
    assertThat(t.params()[1].scale()).isCloseTo(1f / 254, within(1e-9f));
    assertThat(t.values()).containsExactly(-64, 0, 127, 127, 64, 0);
  }

  @Test
  void biasIsInt32WithScaleInputTimesWeightAndZeroPointZero() {
    QuantizedBias b = LinearQuantization.quantizeBias(new float[] {1, 0.0625f, -3}, 0.5f, new float[] {0.25f});

    assertThat(b.scales()).containsExactly(0.125f);
    assertThat(b.values()).containsExactly(8, 0, -24); // 0.0625 / 0.125 = 0.5 -> 0 (half to even)

    QuantizedBias perChannel = LinearQuantization.quantizeBias(new float[] {1, 1}, 0.5f, new float[] {0.25f, 0.5f});
    assertThat(perChannel.scales()).containsExactly(0.125f, 0.25f);
    assertThat(perChannel.values()).containsExactly(8, 4);
  }

  @Test
  void theWeightScaleIsRaisedWhenTheBiasWouldOverflowInt32() {
    float inputScale = 1e-6f;
    float[] bias = {10, -0.5f};
    // 10 / (1e-6 * 1e-6) = 1e13 would not fit int32
    float[] adjusted = LinearQuantization.adjustWeightScalesForInt32Bias(inputScale, new float[] {1e-6f}, bias);
    double expected = 1.0001 * 20 / (Math.pow(2, 32) - 2) / 1e-6;
    assertThat((double) adjusted[0]).isCloseTo(expected, within(expected * 1e-6));
    QuantizedBias b = LinearQuantization.quantizeBias(bias, inputScale, adjusted);
    assertThat(b.values()[0]).isBetween(2_000_000_000, Integer.MAX_VALUE);

    // A scale large enough is left as it is; per channel, each channel on its own.
    float[] perChannel = LinearQuantization.adjustWeightScalesForInt32Bias(inputScale, new float[] {1e-6f, 0.1f}, bias);
    assertThat(perChannel[1]).isEqualTo(0.1f);
    assertThat((double) perChannel[0]).isCloseTo(expected, within(expected * 1e-6));
  }

  /** Every mode, element by element against ONNX Runtime's own QuantizeLinear/DequantizeLinear. */
  @ParameterizedTest(name = "{0} symmetric={1} reduce={2} axis={3}")
  @CsvSource({
      "INT8,  true,  false, -1",
      "INT8,  false, false, -1",
      "INT8,  true,  true,  -1",
      "INT8,  false, true,  -1",
      "UINT8, false, false, -1",
      "UINT8, true,  false, -1",
      "UINT8, false, true,  -1",
      "INT8,  true,  false, 0",
      "INT8,  false, false, 1",
      "INT8,  true,  true,  1",
      "UINT8, false, false, 0",
      "UINT8, true,  false, 1",
      "UINT8, false, true,  2"})
  void matchesOnnxRuntimeElementByElement(QuantType type, boolean symmetric, boolean reduce, int axis)
      throws Exception {
    long[] shape = {4, 3, 5};
    float[] x = new float[60];
    SplittableRandom random = new SplittableRandom(42 + axis);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((random.nextDouble() * 2 - 0.7) * (1 + i % 3));
    }
    QuantizedTensor java = LinearQuantization.quantizeWeight(x, shape, axis, type, symmetric, reduce);

    OrtQdq.Result ort = OrtQdq.run(x, shape, axis, type, java.params());

    assertThat(java.values()).containsExactly(ort.quantized());
    float[] dequantized = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      ScaleZeroPoint p = java.params()[axis < 0 ? 0 : channel(i, shape, axis)];
      dequantized[i] = LinearQuantization.dequantize(java.values()[i], p.scale(), p.zeroPoint());
    }
    assertThat(dequantized).containsExactly(ort.dequantized());
  }

  /** Ties (x / scale exactly k + 0.5) and values outside the range, where rounding and clipping decide. */
  @ParameterizedTest(name = "{0} zero point {1}")
  @CsvSource({"INT8, 0", "INT8, -3", "UINT8, 128", "UINT8, 7"})
  void tiesAndSaturationMatchOnnxRuntime(QuantType type, int zeroPoint) throws Exception {
    float scale = 0.25f;
    float[] x = new float[41];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i - 20) * 0.125f + (i % 7 == 0 ? 100 * (i - 20) : 0); // k/2 steps of the scale: every other one a tie
    }
    ScaleZeroPoint[] p = {new ScaleZeroPoint(scale, zeroPoint)};
    QuantizedTensor java = LinearQuantization.quantizeWith(x, new long[] {x.length}, -1, type, p);

    OrtQdq.Result ort = OrtQdq.run(x, new long[] {x.length}, -1, type, p);

    assertThat(java.values()).containsExactly(ort.quantized());
  }

  @ParameterizedTest(name = "per channel: {0}")
  @CsvSource({"false", "true"})
  void int32BiasDequantizesInOnnxRuntimeToTheJavaValues(boolean perChannel) throws Exception {
    float[] bias = {0.3f, -1.7f, 12.5f, 0};
    float[] weightScales = perChannel ? new float[] {0.01f, 0.02f, 0.003f, 0.5f} : new float[] {0.0123f};
    QuantizedBias b = LinearQuantization.quantizeBias(bias, 0.047f, weightScales);

    float[] ort = OrtQdq.dequantizeInt32(b.values(), b.scales());

    for (int i = 0; i < bias.length; i++) {
      float s = b.scales()[perChannel ? i : 0];
      assertThat(ort[i]).isEqualTo(LinearQuantization.dequantize(b.values()[i], s, 0));
      assertThat(ort[i]).isCloseTo(bias[i], within(s / 2 + 1e-7f));
    }
  }

  private static int channel(int index, long[] shape, int axis) {
    long inner = 1;
    for (int d = axis + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    return (int) ((index / inner) % shape[axis]);
  }
}
