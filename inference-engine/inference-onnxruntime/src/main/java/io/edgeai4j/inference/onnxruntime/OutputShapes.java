package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import io.edgeai4j.inference.backend.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Works out an output's shape before a run, so its buffer can be allocated up front and ONNX Runtime writes the
 * result straight into it: a dimension is known when it is fixed, or when it carries the same symbolic name as an
 * input's dimension (ONNX gives one name one value within a run, e.g. {@code batch}). An output with any other open
 * dimension is left to ONNX Runtime to allocate. Immutable; thread-safe.
 */
final class OutputShapes {
  /** Where one dimension comes from: a fixed size, or dimension {@code index} of input {@code input}. */
  private record Dim(long fixed, String input, int index) {}

  private final Map<String, Dim[]> plans = new HashMap<>();

  /**
   * Plans every output whose shape the inputs determine.
   *
   * @param inputs The model's inputs, from {@code OrtSession.getInputInfo()}.
   * @param outputs The model's tensor outputs, from {@code OrtSession.getOutputInfo()}.
   */
  OutputShapes(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
    Map<String, Dim> symbols = new HashMap<>();
    for (NodeInfo input : inputs.values()) {
      if (input.getInfo() instanceof TensorInfo info) {
        long[] shape = info.getShape();
        String[] names = info.getDimensionNames();
        for (int i = 0; i < shape.length; i++) {
          if (shape[i] < 0 && i < names.length && !names[i].isEmpty()) {
            symbols.putIfAbsent(names[i], new Dim(-1, input.getName(), i));
          }
        }
      }
    }
    for (NodeInfo output : outputs.values()) {
      if (output.getInfo() instanceof TensorInfo info) {
        long[] shape = info.getShape();
        String[] names = info.getDimensionNames();
        Dim[] plan = new Dim[shape.length];
        for (int i = 0; i < shape.length && plan != null; i++) {
          if (shape[i] >= 0) {
            plan[i] = new Dim(shape[i], null, -1);
          } else if (i < names.length && symbols.containsKey(names[i])) {
            plan[i] = symbols.get(names[i]);
          } else {
            plan = null;
          }
        }
        if (plan != null) {
          plans.put(output.getName(), plan);
        }
      }
    }
  }

  /** Whether the output's shape is known before each run. */
  boolean known(String output) {
    return plans.containsKey(output);
  }

  /** The output's shape for this run's (validated) inputs, or null when only the run tells. */
  long[] shape(String output, Map<String, Tensor> inputs) {
    Dim[] plan = plans.get(output);
    if (plan == null) {
      return null;
    }
    long[] shape = new long[plan.length];
    for (int i = 0; i < plan.length; i++) {
      shape[i] = plan[i].input() == null ? plan[i].fixed() : inputs.get(plan[i].input()).shape()[plan[i].index()];
    }
    return shape;
  }
}
