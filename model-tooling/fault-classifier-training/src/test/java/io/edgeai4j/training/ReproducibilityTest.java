package io.edgeai4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining with the committed recipe gives the committed model: the same probabilities on held-out windows, and
 * the exported graph computes what the Java model predicts.
 */
class ReproducibilityTest {
  private static TrainedClassifier retrained;
  private static List<LabelledWindow> sample;

  @BeforeAll
  static void retrain() {
    retrained = FaultClassifierTrainer.train(FeatureDataset.generate(TrainingRecipe.TRAIN.scenarios()));
    // A handful of windows of every class: every 40th window of the README's test runs.
    List<LabelledWindow> test = FeatureDataset.generate(TrainingRecipe.TEST.scenarios());
    sample = new ArrayList<>();
    for (int i = 0; i < test.size(); i += 40) {
      sample.add(test.get(i));
    }
  }

  @Test
  void retrainingReproducesTheCommittedModelsProbabilities(@TempDir Path directory) throws Exception {
    ModelExporter.export(retrained, TrainingRecipe.VERSION, directory);
    List<double[]> rows = sample.stream().map(LabelledWindow::features).toList();
    try (OnnxClassifier committed = new OnnxClassifier(CommittedModelTest.VERSION_DIRECTORY.resolve("model.onnx"));
        OnnxClassifier fresh = new OnnxClassifier(directory.resolve("model.onnx"))) {
      float[][] expected = committed.probabilities(rows);
      float[][] actual = fresh.probabilities(rows);
      assertThat(actual).isDeepEqualTo(expected);
      assertThat(sample.stream().map(LabelledWindow::label).distinct()).hasSize(FaultClass.values().length);
    }
  }

  @Test
  void theOnnxGraphPredictsWhatTheJavaModelPredicts(@TempDir Path directory) throws Exception {
    ModelExporter.export(retrained, TrainingRecipe.VERSION, directory);
    List<LabelledWindow> test = FeatureDataset.generate(TrainingRecipe.TEST.scenarios());
    try (OnnxClassifier onnx = new OnnxClassifier(directory.resolve("model.onnx"))) {
      FaultClass[] predicted = onnx.predict(test.stream().map(LabelledWindow::features).toList());
      int disagreements = 0;
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] != retrained.predict(test.get(i).features())) {
          disagreements++;
        }
      }
      // float32 in the graph against double in Java: a window on a decision boundary could differ; none does here.
      assertThat(disagreements).isZero();
    }
  }
}
