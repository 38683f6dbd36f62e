package io.edgeai4j.inference.module;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.ModelDescriptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The class a model predicts for one row: the argmax of its labels output, and the value there.
 *
 * @param index The class index (0 is the model's first class, e.g. {@code normal}).
 * @param label The class name from {@code model.json}.
 * @param confidence The output's value at the argmax (a probability when the model ends in softmax).
 */
record Prediction(int index, String label, double confidence) {
  /**
   * One prediction per row of the labels output ({@code [rows, classes]}, or {@code [classes]} for one row).
   *
   * @return Empty when the output is missing, empty or not floating point.
   */
  static List<Prediction> of(ModelDescriptor.Labels labels, Tensor output) {
    if (output == null || !output.type().isFloatingPoint()) {
      return List.of();
    }
    long[] shape = output.shape();
    long count = output.elementCount();
    long rows = shape.length >= 2 ? shape[0] : 1;
    if (count == 0 || rows == 0) {
      return List.of();
    }
    int classes = (int) (count / rows);
    ByteBuffer data = output.data();
    ElementType type = output.type();
    List<Prediction> predictions = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int best = 0;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double v = type.readFloating(data);
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      predictions.add(new Prediction(best, labels.className(best), bestValue));
    }
    return predictions;
  }
}
