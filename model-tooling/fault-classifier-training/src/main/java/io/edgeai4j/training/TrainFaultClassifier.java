package io.edgeai4j.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Trains the demo's fault classifier and writes it as a model-repository version ({@code model.onnx},
 * {@code model.json} and {@code golden.json}). Usage: {@code TrainFaultClassifier <version directory>}, e.g.
 * {@code model-repository/fault-classifier/1}. Prints the dataset sizes, the windows per class, and the exported ONNX
 * model's accuracy, per-class precision and recall and confusion matrix on the held-out runs of
 * {@link TrainingRecipe#TEST}. With {@code --golden-only} before the directory, writes only the {@code golden.json}
 * of the {@code model.onnx} already there (from the same held-out runs), without training.
 */
public final class TrainFaultClassifier {
  private TrainFaultClassifier() {}

  /** Runs the training step. */
  public static void main(String[] args) throws Exception {
    boolean goldenOnly = args.length == 2 && args[0].equals("--golden-only");
    if (args.length != 1 && !goldenOnly) {
      System.err.println("usage: TrainFaultClassifier [--golden-only] <version directory, e.g."
          + " model-repository/fault-classifier/1>");
      System.exit(2);
    }
    Path versionDirectory = Path.of(args[args.length - 1]);
    long started = System.nanoTime();
    if (goldenOnly) {
      Path golden = GoldenWriter.write(versionDirectory,
          GoldenWriter.rows(FeatureDataset.generate(TrainingRecipe.TEST.scenarios())));
      System.out.println("wrote " + golden);
      return;
    }
    List<LabelledWindow> train = FeatureDataset.generate(TrainingRecipe.TRAIN.scenarios());
    List<LabelledWindow> test = FeatureDataset.generate(TrainingRecipe.TEST.scenarios());
    System.out.printf(Locale.ROOT, "train: %d runs, %d windows %s%n", TrainingRecipe.TRAIN.scenarios().size(),
        train.size(), FeatureDataset.countByClass(train));
    System.out.printf(Locale.ROOT, "test:  %d runs, %d windows %s%n", TrainingRecipe.TEST.scenarios().size(),
        test.size(), FeatureDataset.countByClass(test));
    TrainedClassifier classifier = FaultClassifierTrainer.train(train);
    ModelExporter.export(classifier, TrainingRecipe.VERSION, versionDirectory);
    Path golden = GoldenWriter.write(versionDirectory, GoldenWriter.rows(test));
    System.out.println("wrote " + versionDirectory.resolve("model.onnx") + ", model.json and " + golden);
    try (OnnxClassifier onnx = new OnnxClassifier(versionDirectory.resolve("model.onnx"))) {
      System.out.println("training set (model.onnx): "
          + String.format(Locale.ROOT, "accuracy %.4f", onnx.evaluate(train).accuracy()));
      System.out.println("test set (model.onnx):");
      System.out.println(onnx.evaluate(test).report());
    }
    System.out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }
}
