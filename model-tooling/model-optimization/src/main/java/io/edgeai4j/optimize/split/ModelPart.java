package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * One part of a split model: its file name in the split's directory, the model, the tensors it takes (by name, from
 * the unsplit model's inputs and earlier parts' outputs) and those it gives. Parts of the same {@code stage} need no
 * output of each other and may run in parallel (vertical slices); a horizontal split has one part per stage.
 * Immutable.
 *
 * @param fileName {@code part-0.onnx}, {@code part-1.onnx}, ... (zero-padded beyond 10 parts: names sort in run order).
 * @param model The part's ONNX model (the unsplit model's IR version and opsets).
 * @param inputs Its graph inputs, in order.
 * @param outputs Its graph outputs, in order.
 * @param stage 0 for the first parts to run; a part reads only outputs of parts of lower stages.
 */
public record ModelPart(String fileName, OnnxMl.ModelProto model, List<String> inputs, List<String> outputs,
    int stage) {
  /** Copies the lists. */
  public ModelPart {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The file name of part {@code index} of {@code count}: zero-padded to the width of the largest index past 10. */
  static String fileName(int index, int count) {
    int width = count > 10 ? String.valueOf(count - 1).length() : 1;
    return "part-" + String.format("%0" + width + "d", index) + ".onnx";
  }
}
