package io.edgeai4j.training;

import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the fault classifier: multinomial logistic regression (Tribuo's {@link LinearSGDTrainer} with the
 * {@link LogMulticlass} objective and AdaGrad) on {@link LogCompression log-compressed}, then
 * {@link Standardisation standardised} feature rows. Single-threaded with a fixed seed, so the same rows give the
 * same model. Stateless; thread-safe.
 */
public final class FaultClassifierTrainer {
  /** Seeds Tribuo's shuffling. */
  public static final long TRAINING_SEED = 20250101L;
  /** Passes over the training rows. */
  public static final int EPOCHS = 30;
  /** AdaGrad's initial learning rate. */
  public static final double LEARNING_RATE = 0.5;

  private static final String[] FEATURE_NAMES = featureNames();

  private FaultClassifierTrainer() {}

  /** Trains on {@code rows}. */
  public static TrainedClassifier train(List<LabelledWindow> rows) {
    List<double[]> compressed = new ArrayList<>(rows.size());
    rows.forEach(row -> compressed.add(LogCompression.apply(row.features())));
    Standardisation standardisation = Standardisation.fit(compressed);
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> dataset = new MutableDataset<>(
        new SimpleDataSourceProvenance("simulated machine windows", labels), labels);
    for (int i = 0; i < rows.size(); i++) {
      dataset.add(example(rows.get(i).label(), standardisation.apply(compressed.get(i))));
    }
    LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(LEARNING_RATE, 0.1), EPOCHS,
        Math.max(1, rows.size() * EPOCHS), 1, TRAINING_SEED);
    LinearSGDModel model = trainer.train(dataset);
    return new TrainedClassifier(model, standardisation);
  }

  /** A Tribuo example of a standardised row, its features named so that Tribuo's (sorted) order is the row's. */
  static Example<Label> example(FaultClass label, double[] standardised) {
    return new ArrayExample<>(label == null ? LabelFactory.UNKNOWN_LABEL : new Label(label.label()), FEATURE_NAMES,
        standardised);
  }

  /** {@code f00}, {@code f01}, ...: names that sort in column order. */
  private static String[] featureNames() {
    String[] names = new String[FeatureVector.FIELDS.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = String.format("f%02d", i);
    }
    return names;
  }
}
