package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.InputValidator;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.tensorrt.TensorDataType;
import io.edgeai4j.nativebindings.tensorrt.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine's inputs and outputs as the SPI sees them ({@link TensorSpec}s, {@code -1} for a dynamic dimension), and
 * the checks of a run's inputs before any native call: the ONNX Runtime backend's (every input present, none unknown,
 * element type, rank and fixed dimensions, one batch size across batchable inputs) plus the engine's profile: each
 * dimension between the profile's min and max. Pure Java; immutable; thread-safe.
 */
final class EngineSignature {
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
  private final InputValidator validator;

  EngineSignature(List<TensorInfo> tensors) {
    List<TensorSpec> in = new ArrayList<>();
    List<TensorSpec> out = new ArrayList<>();
    for (TensorInfo t : tensors) {
      TensorSpec spec = new TensorSpec(t.name(), elementType(t.type()), t.shape());
      (t.input() ? in : out).add(spec);
      infos.put(t.name(), t);
    }
    this.inputs = List.copyOf(in);
    this.outputs = List.copyOf(out);
    this.validator = new InputValidator(inputs, this::outsideProfile);
  }

  List<TensorSpec> inputs() {
    return inputs;
  }

  List<TensorSpec> outputs() {
    return outputs;
  }

  /** The SPI's element type of an engine tensor's type (one to one). */
  static ElementType elementType(TensorDataType type) {
    return switch (type) {
      case FLOAT32 -> ElementType.FLOAT32;
      case FLOAT16 -> ElementType.FLOAT16;
      case INT8 -> ElementType.INT8;
      case INT32 -> ElementType.INT32;
      case INT64 -> ElementType.INT64;
    };
  }

  /** Null when the inputs fit the engine; otherwise every problem, separated by {@code "; "}. */
  String check(Map<String, Tensor> given) {
    return validator.check(given);
  }

  /** The engine's own check, after the shared ones: every dimension within the profile's min..max. */
  private String outsideProfile(TensorSpec spec, Tensor tensor) {
    TensorInfo info = infos.get(spec.name());
    long[] shape = tensor.shape();
    long[] min = info.min();
    long[] max = info.max();
    int outside = outside(shape, min, max);
    return outside < 0 ? null : "input '" + spec.name() + "': shape " + Arrays.toString(shape) + " is outside the"
        + " engine's profile, expected between " + Arrays.toString(min) + " and " + Arrays.toString(max)
        + " (dimension " + outside + " is " + shape[outside] + ")";
  }

  /** The first dimension of {@code shape} outside {@code min..max}, or -1. */
  private static int outside(long[] shape, long[] min, long[] max) {
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < min[i] || shape[i] > max[i]) {
        return i;
      }
    }
    return -1;
  }
}
