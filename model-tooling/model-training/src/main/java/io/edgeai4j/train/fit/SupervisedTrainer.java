package io.edgeai4j.train.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.graph.GraphProgram;
import java.io.PrintWriter;

/**
 * Supervised training of an ONNX classifier on labelled rows: the graph runs as a {@link GraphProgram}, the loss is the
 * mean cross-entropy of its class scores against the labels, PyTorch's autograd (DJL's PyTorch engine) gives the
 * gradients and Adam updates the parameters ({@link EpochLoop}). After each epoch the validation rows are scored; the
 * epoch with the best top-1 accuracy is the one written back. Seeded: the same options, data and model give the same
 * shuffles and dropout. Stateless; each call owns the native memory it makes and frees it before returning.
 */
public final class SupervisedTrainer {
  private SupervisedTrainer() {}

  /**
   * Trains {@code model}.
   *
   * @param progress Where a progress line per epoch goes (the CLI passes stderr); null for none.
   * @throws TrainingException An op without a training kernel (before anything runs), a label outside the model's
   *     classes, rows whose shape the model does not take, or no PyTorch engine.
   */
  public static TrainingResult train(OnnxMl.ModelProto model, LabelledRows train, LabelledRows validation,
      TrainingOptions options, PrintWriter progress) throws TrainingException {
    int[] labels = train.labels();
    int[] classes = new int[1];
    return EpochLoop.train(model, DataRows.of(train), validation, options, progress, c -> {
      EpochLoop.checkLabels(train, c, "training");
      classes[0] = c;
    }, (logits, rows, step) -> crossEntropy(logits, pick(labels, rows), classes[0], step));
  }

  /** Mean cross-entropy of {@code logits} ({@code [n, classes]}) against class indices {@code labels}. */
  public static NDArray crossEntropy(NDArray logits, int[] labels, int classes, NDManager step) {
    NDArray target = step.create(labels).oneHot(classes);
    return logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
  }

  /** {@code values[rows[i]]} for each i. */
  public static int[] pick(int[] values, int[] rows) {
    int[] picked = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      picked[i] = values[rows[i]];
    }
    return picked;
  }

  /** Top-1 accuracy of the program on {@code rows}, in evaluation mode (no dropout, no gradients). */
  public static double accuracy(GraphProgram program, LabelledRows rows, NDManager base) throws TrainingException {
    return EpochLoop.accuracy(program, rows);
  }
}
