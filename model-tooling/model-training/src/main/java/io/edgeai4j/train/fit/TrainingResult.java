package io.edgeai4j.train.fit;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * What {@link SupervisedTrainer#train} returns.
 *
 * @param model The graph with the best epoch's parameters written back (the input model's for zero epochs).
 * @param epochs Every epoch run, in order.
 * @param bestEpoch The epoch whose parameters {@code model} holds; 0 when none improved on the start.
 * @param initialValidationAccuracy Validation accuracy before training.
 */
public record TrainingResult(OnnxMl.ModelProto model, List<EpochResult> epochs, int bestEpoch,
    double initialValidationAccuracy) {
  public TrainingResult {
    epochs = List.copyOf(epochs);
  }

  /** Validation accuracy of {@code model}. */
  public double bestValidationAccuracy() {
    return bestEpoch == 0 ? initialValidationAccuracy : epochs.get(bestEpoch - 1).validationAccuracy();
  }
}
