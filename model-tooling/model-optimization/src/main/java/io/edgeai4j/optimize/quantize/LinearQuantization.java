package io.edgeai4j.optimize.quantize;

/**
 * ONNX Runtime's linear quantization math ({@code onnxruntime/python/tools/quantization/quant_utils.py} and
 * {@code qdq_quantizer.py}, 1.30): scale and zero point from a real range, quantize and dequantize with rounding half
 * to even (as ONNX's QuantizeLinear), per tensor or per channel, and bias to int32. Stateless, thread-safe.
 */
public final class LinearQuantization {
  /** ONNX Runtime's margin when it raises a weight scale so that the bias fits int32. */
  static final double BIAS_EPSILON = 1.0001;

  private LinearQuantization() {}

  /**
   * {@code compute_scale_zp}: widen {@code [rmin, rmax]} to hold 0; symmetric makes it {@code [-absmax, absmax]};
   * {@code scale = (rmax - rmin) / (qmax - qmin)} in float64 cast to float32 (1 with zero point 0 below float32's
   * smallest normal); zero point {@code round((qmin + qmax) / 2)} when symmetric, {@code round(qmin - rmin / scale)}
   * otherwise.
   */
  public static ScaleZeroPoint scaleZeroPoint(float rmin, float rmax, IntRange q, boolean symmetric) {
    if (Float.isNaN(rmin) || Float.isNaN(rmax) || Float.isInfinite(rmin) || Float.isInfinite(rmax)) {
      throw new IllegalArgumentException("a real range must be finite, found [" + rmin + ", " + rmax + "]");
    }
    if (rmin > rmax) {
      throw new IllegalArgumentException("a real range needs rmin <= rmax, found [" + rmin + ", " + rmax + "]");
    }
    rmin = Math.min(rmin, 0f);
    rmax = Math.max(rmax, 0f);
    if (symmetric) {
      float absmax = Math.max(Math.abs(rmin), Math.abs(rmax));
      rmin = -absmax;
      rmax = absmax;
    }
    double scale = (double) (rmax - rmin) / ((double) q.max() - q.min());
    if (scale < Float.MIN_NORMAL) {
      return new ScaleZeroPoint(1f, 0);
    }
    int zeroPoint = symmetric ? (int) Math.rint((q.min() + q.max()) / 2.0) : (int) Math.rint(q.min() - rmin / scale);
    return new ScaleZeroPoint((float) scale, zeroPoint);
  }

  /** ONNX's QuantizeLinear: {@code clip(rint(x / scale) + zeroPoint)} to the type's full range, ties to even. */
  public static int quantize(float x, float scale, int zeroPoint, QuantType type) {
    double q = Math.rint(x / scale) + zeroPoint;
    return (int) Math.max(type.min(), Math.min(type.max(), q));
  }

  /** ONNX's DequantizeLinear: {@code (q - zeroPoint) * scale} in float32. */
  public static float dequantize(int q, float scale, int zeroPoint) {
    return (q - zeroPoint) * scale;
  }

  /**
   * Quantizes a weight per tensor ({@code axis < 0}) or per channel along {@code axis} from its own range
   * ({@code quantize_onnx_initializer}).
   *
   * @param shape The tensor's dimensions; {@code values} row-major.
   */
  public static QuantizedTensor quantizeWeight(float[] values, long[] shape, int axis, QuantType type,
      boolean symmetric, boolean reduceRange) {
    IntRange q = IntRange.of(type, symmetric, reduceRange);
    Slices slices = Slices.of(values.length, shape, axis);
    ScaleZeroPoint[] params = new ScaleZeroPoint[slices.channels];
    for (int c = 0; c < slices.channels; c++) {
      float min = 0;
      float max = 0;
      boolean first = true;
      for (int i = 0; i < values.length; i++) {
        if (slices.channel(i) == c) {
          min = first ? values[i] : Math.min(min, values[i]);
          max = first ? values[i] : Math.max(max, values[i]);
          first = false;
        }
      }
      params[c] = scaleZeroPoint(min, max, q, symmetric);
    }
    return quantizeWith(values, shape, axis, type, params);
  }

  /** Quantizes with given parameters, one per channel along {@code axis} (one in all when {@code axis < 0}). */
  public static QuantizedTensor quantizeWith(float[] values, long[] shape, int axis, QuantType type,
      ScaleZeroPoint[] params) {
    Slices slices = Slices.of(values.length, shape, axis);
    if (params.length != slices.channels) {
      throw new IllegalArgumentException("expected " + slices.channels + " scale(s) for axis " + axis + ", found "
          + params.length);
    }
    int[] quantized = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ScaleZeroPoint p = params[slices.channel(i)];
      quantized[i] = quantize(values[i], p.scale(), p.zeroPoint(), type);
    }
    return new QuantizedTensor(type, shape, axis < 0 ? -1 : axis, params, quantized);
  }

  /**
   * {@code _adjust_weight_scale_for_int32_bias}: where {@code inputScale * weightScale} would put the bias outside
   * int32, raises that weight scale to {@code 1.0001 * 2 * absmax(bias) / (2^32 - 2)} over the input scale.
   *
   * @param weightScales One per channel of the bias (per-channel weights) or one in all.
   * @return The scales to quantize the weight with (a copy; unchanged entries as given).
   */
  public static float[] adjustWeightScalesForInt32Bias(float inputScale, float[] weightScales, float[] bias) {
    float[] adjusted = weightScales.clone();
    double qrange = (double) Integer.MAX_VALUE - (Integer.MIN_VALUE + 1.0);
    for (int c = 0; c < adjusted.length; c++) {
      double absmax = 0;
      for (int i = 0; i < bias.length; i++) {
        if (adjusted.length == 1 || i == c) {
          absmax = Math.max(absmax, Math.abs((double) bias[i]));
        }
      }
      double smallestValid = BIAS_EPSILON * (2.0 * absmax) / qrange;
      double candidate = (double) inputScale * (double) adjusted[c];
      if (candidate < smallestValid && candidate > 0) {
        adjusted[c] = (float) ((double) adjusted[c] * (smallestValid / candidate));
      }
    }
    return adjusted;
  }

  /**
   * {@code quantize_bias_static_impl}: int32 with zero point 0 and scale {@code inputScale * weightScale} (per
   * channel when the weight is), {@code round(bias / scale)} clipped to int32.
   */
  public static QuantizedBias quantizeBias(float[] bias, float inputScale, float[] weightScales) {
    if (weightScales.length != 1 && weightScales.length != bias.length) {
      throw new IllegalArgumentException("a bias of " + bias.length + " values needs 1 or " + bias.length
          + " weight scales, found " + weightScales.length);
    }
    float[] scales = new float[weightScales.length];
    for (int c = 0; c < scales.length; c++) {
      scales[c] = inputScale * weightScales[c];
    }
    int[] quantized = new int[bias.length];
    for (int i = 0; i < bias.length; i++) {
      float s = scales[scales.length == 1 ? 0 : i];
      double q = Math.rint((double) bias[i] / s);
      quantized[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q));
    }
    return new QuantizedBias(scales, quantized);
  }

  /** Which channel each row-major element belongs to. */
  private record Slices(int channels, long inner) {
    static Slices of(int count, long[] shape, int axis) {
      long total = 1;
      for (long d : shape) {
        total *= d;
      }
      if (total != count) {
        throw new IllegalArgumentException("shape holds " + total + " values, found " + count);
      }
      if (axis < 0) {
        return new Slices(1, count == 0 ? 1 : count);
      }
      if (axis >= shape.length) {
        throw new IllegalArgumentException("axis " + axis + " is outside a tensor of rank " + shape.length);
      }
      long inner = 1;
      for (int d = axis + 1; d < shape.length; d++) {
        inner *= d < shape.length ? shape[d] : 1;
      }
      return new Slices((int) shape[axis], inner);
    }

    int channel(int index) {
      return channels == 1 ? 0 : (int) ((index / inner) % channels);
    }
  }
}
