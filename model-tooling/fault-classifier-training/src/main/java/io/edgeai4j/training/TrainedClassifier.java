package io.edgeai4j.training;

import java.util.Objects;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

/**
 * A trained classifier and the input transform it was trained with: raw feature row, then
 * {@link LogCompression}, then {@code standardisation}, then the Tribuo model. Immutable; {@link #predict} is
 * thread-safe (Tribuo models are).
 *
 * @param model The Tribuo model, which takes standardised rows.
 * @param standardisation Fitted on the log-compressed training rows.
 */
public record TrainedClassifier(LinearSGDModel model, Standardisation standardisation) {
  /** Validates. */
  public TrainedClassifier {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(standardisation, "standardisation");
  }

  /** The class the model predicts for a raw feature row. */
  public FaultClass predict(double[] features) {
    double[] row = standardisation.apply(LogCompression.apply(features));
    Label label = model.predict(FaultClassifierTrainer.example(null, row)).getOutput();
    return FaultClass.fromLabel(label.getLabel());
  }
}
