package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;

/**
 * How a precision is built on TensorRT 11 (the one class that differs per major; {@code src/trt10} has the other):
 * every network is strongly typed and precision comes from the model only (TensorRT 11 has no FP16/INT8 builder
 * flags): FP32 as is, INT8 from a QDQ model's Q/DQ nodes, and FP16 refused, telling to convert the model first.
 */
final class PrecisionFlags {
  /** The TensorRT major these flags are for. */
  static final int TENSORRT_MAJOR = 11;

  private PrecisionFlags() { }

  /**
   * The {@code createNetworkV2} flags for {@code precision}.
   *
   * @throws NativeBindingException For FP16, which TensorRT 11 cannot set on the builder.
   */
  static int networkFlags(Precision precision) throws NativeBindingException {
    if (precision == Precision.FP16) {
      throw new NativeBindingException("precision FP16", "TensorRT 11 has no FP16 builder flag; precision comes"
          + " from the model: convert it to float16 first (edge model convert --fp16 IN.onnx OUT.onnx) and build"
          + " that model at FP32");
    }
    return 1 << NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value;
  }

  /** Sets the builder flags for {@code precision}: none on TensorRT 11. */
  static void configure(IBuilderConfig config, Precision precision) {
    // Strong typing is always enforced; nothing to set.
  }

  /** What {@link #networkFlags} and {@link #configure} do, for logs and the README. */
  static String describe(Precision precision) {
    return switch (precision) {
      case FP32 -> "strongly typed network, types from the model";
      case FP16 -> "refused: convert the model to float16 first";
      case INT8 -> "strongly typed network, types from the model's Q/DQ nodes (explicit quantization)";
    };
  }
}
