package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.NativeBindingException;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;

/**
 * How a precision is built on TensorRT 10 (the one class that differs per major; {@code src/trt11} has the other):
 * FP32 and INT8 (a QDQ model: explicit quantization, the Q/DQ nodes fix the types) build a strongly typed network
 * with no precision flag; FP16 builds a weakly typed network with {@code BuilderFlag.kFP16}, because TensorRT
 * refuses precision flags on a strongly typed network.
 */
final class PrecisionFlags {
  /** The TensorRT major these flags are for. */
  static final int TENSORRT_MAJOR = 10;

  private PrecisionFlags() { }

  /** The {@code createNetworkV2} flags for {@code precision}. */
  static int networkFlags(Precision precision) throws NativeBindingException {
    return precision == Precision.FP16 ? 0 : 1 << NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value;
  }

  /** Sets the builder flags for {@code precision}. */
  static void configure(IBuilderConfig config, Precision precision) {
    if (precision == Precision.FP16) {
      config.setFlag(BuilderFlag.kFP16);
    }
  }

  /** What {@link #networkFlags} and {@link #configure} do, for logs and the README. */
  static String describe(Precision precision) {
    return switch (precision) {
      case FP32 -> "strongly typed network, no precision flag";
      case FP16 -> "weakly typed network, BuilderFlag.kFP16";
      case INT8 -> "strongly typed network, types from the model's Q/DQ nodes (explicit quantization)";
    };
  }
}
