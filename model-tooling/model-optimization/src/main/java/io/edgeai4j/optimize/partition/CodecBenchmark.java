package io.edgeai4j.optimize.partition;

import io.edgeai4j.inference.backend.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures, on this machine, what encoding and decoding one float32 activation element costs in each
 * {@link ActivationEncoding}: float32 (little-endian copy), float16 (the model server's {@link HalfFloats}), int8 (a
 * min/max pass for the scale, then rounding). The median over repeated passes on 65,536 seeded random elements, after
 * warm-up passes. Stateless.
 */
final class CodecBenchmark {
  private static final int ELEMENTS = 65_536;
  private static final int WARMUP = 20;
  private static final int PASSES = 15;

  private CodecBenchmark() {}

  static Map<String, ModelProfile.CodecCost> measure() {
    float[] values = new float[ELEMENTS];
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    Map<String, ModelProfile.CodecCost> costs = new LinkedHashMap<>();
    for (ActivationEncoding encoding : ActivationEncoding.values()) {
      ByteBuffer wire = ByteBuffer.allocate(ELEMENTS * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
      float[] decoded = new float[ELEMENTS];
      double[] encode = new double[PASSES];
      double[] decode = new double[PASSES];
      float sink = 0;
      for (int pass = -WARMUP; pass < PASSES; pass++) {
        long start = System.nanoTime();
        wire.clear();
        encode(encoding, values, wire);
        long middle = System.nanoTime();
        wire.flip();
        decode(encoding, wire, decoded);
        long end = System.nanoTime();
        sink += decoded[pass & 1023];
        if (pass >= 0) {
          encode[pass] = (middle - start) / (double) ELEMENTS;
          decode[pass] = (end - middle) / (double) ELEMENTS;
        }
      }
      if (Float.isNaN(sink)) {
        throw new IllegalStateException("the codec benchmark decoded NaN");
      }
      costs.put(encoding.label(), new ModelProfile.CodecCost(median(encode), median(decode)));
    }
    return costs;
  }

  private static void encode(ActivationEncoding encoding, float[] values, ByteBuffer out) {
    switch (encoding) {
      case FLOAT32 -> {
        out.asFloatBuffer().put(values);
        out.position(values.length * 4);
      }
      case FLOAT16 -> {
        for (float v : values) {
          out.putShort(HalfFloats.floatToFloat16(v));
        }
      }
      case INT8 -> {
        float min = 0;
        float max = 0;
        for (float v : values) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        float scale = (max - min) / 255f;
        scale = scale == 0 ? 1 : scale;
        int zero = Math.round(-128 - min / scale);
        out.putFloat(scale).put((byte) zero);
        for (float v : values) {
          out.put((byte) Math.max(-128, Math.min(127, Math.round(v / scale) + zero)));
        }
      }
      default -> throw new IllegalArgumentException(encoding.toString());
    }
  }

  private static void decode(ActivationEncoding encoding, ByteBuffer in, float[] out) {
    switch (encoding) {
      case FLOAT32 -> in.asFloatBuffer().get(out);
      case FLOAT16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.float16ToFloat(in.getShort());
        }
      }
      case INT8 -> {
        float scale = in.getFloat();
        int zero = in.get();
        for (int i = 0; i < out.length; i++) {
          out[i] = (in.get() - zero) * scale;
        }
      }
      default -> throw new IllegalArgumentException(encoding.toString());
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
