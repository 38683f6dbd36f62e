package io.edgeai4j.optimize.quantize;

import java.util.Objects;
import java.util.Set;

/**
 * What {@link QdqQuantizer} does; the defaults are ONNX Runtime's {@code quantize_static}: MinMax, per tensor, int8
 * weights and activations, activations asymmetric, int8 weights symmetric, no reduced range. Immutable; validated once.
 *
 * @param method How activation ranges come from the calibration data.
 * @param perChannel One scale per output channel of Conv, MatMul and Gemm weights (needs opset 13).
 * @param asymmetric Weights asymmetric too (activations are asymmetric by default, as in ONNX Runtime).
 * @param activationType int8 (ONNX Runtime's default) or uint8; weights are always int8.
 * @param reduceRange 7-bit weights (int8 [-64, 64]), for CPUs without VNNI.
 * @param exclude Node names or op types left in float.
 * @param target ONNX Runtime, or TensorRT (symmetric, zero point 0, per-channel weights).
 */
public record QuantizeOptions(CalibrationMethod method, boolean perChannel, boolean asymmetric, QuantType activationType,
    boolean reduceRange, Set<String> exclude, Target target) {
  public QuantizeOptions {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(activationType, "activationType");
    Objects.requireNonNull(target, "target");
    exclude = Set.copyOf(exclude);
    if (target == Target.TENSORRT && activationType != QuantType.INT8) {
      throw new IllegalArgumentException("target tensorrt takes int8 activations only (TensorRT's explicit"
          + " quantization), found " + activationType.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (target == Target.TENSORRT && asymmetric) {
      throw new IllegalArgumentException("target tensorrt is symmetric (zero point 0); asymmetric cannot be asked"
          + " with it");
    }
  }

  /** ONNX Runtime's defaults. */
  public static QuantizeOptions defaults() {
    return new QuantizeOptions(CalibrationMethod.MINMAX, false, false, QuantType.INT8, false, Set.of(),
        Target.ONNXRUNTIME);
  }

  boolean weightsSymmetric() {
    return !asymmetric;
  }

  boolean activationsSymmetric() {
    return target == Target.TENSORRT;
  }

  boolean weightsPerChannel() {
    return perChannel || target == Target.TENSORRT;
  }

  /** Q/DQ after a quantized op's output too (ONNX Runtime's placement), not only on its inputs. */
  boolean quantizeOutputs() {
    return target == Target.ONNXRUNTIME;
  }
}
