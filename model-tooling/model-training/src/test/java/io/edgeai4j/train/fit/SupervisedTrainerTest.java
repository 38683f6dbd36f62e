package io.edgeai4j.train.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.FashionMnistFiles;
import io.edgeai4j.train.Graphs;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fashion.ConvClassifierGraph;
import io.edgeai4j.train.fashion.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real training on real images: a small conv classifier learns Fashion-MNIST in one epoch of 4,000 rows. */
class SupervisedTrainerTest {
  private static LabelledRows train;
  private static LabelledRows validation;

  @BeforeAll
  static void data() throws Exception {
    LabelledRows all = FashionMnist.train(FashionMnistFiles.dir());
    train = all.slice(0, 4_000);
    validation = all.slice(55_000, 56_000);
  }

  private static OnnxMl.ModelProto small() {
    return ConvClassifierGraph.build(8, 16, 16, 32, 3);
  }

  private static TrainingOptions oneEpoch() {
    return TrainingOptions.builder().epochs(1).batchSize(32).learningRate(2e-3f).seed(5).build();
  }

  @Test
  void oneEpochLearnsAndTheModelWrittenBackScoresInOnnxRuntimeWhatItScoredInTraining() throws Exception {
    StringWriter progress = new StringWriter();
    TrainingResult result = SupervisedTrainer.train(small(), train, validation, oneEpoch(),
        new PrintWriter(progress, true));

    assertThat(result.initialValidationAccuracy()).isLessThan(0.3);
    assertThat(result.epochs()).hasSize(1);
    assertThat(result.bestEpoch()).isEqualTo(1);
    assertThat(result.bestValidationAccuracy()).isGreaterThan(0.70);
    assertThat(result.epochs().get(0).meanLoss()).isLessThan(0.6 * Math.log(10)); // chance is ln 10
    assertThat(progress.toString()).contains("epoch 1/1 [", "validation top-1", "best");

    // ONNX Runtime runs the written-back graph (Softmax on top): the same top-1 on the validation rows.
    float[] p = Graphs.runOrt(result.model(), validation.values(), new long[] {validation.rows(), 1, 28, 28},
        "image");
    int correct = 0;
    for (int row = 0; row < validation.rows(); row++) {
      int best = 0;
      for (int k = 1; k < 10; k++) {
        best = p[row * 10 + k] > p[row * 10 + best] ? k : best;
      }
      correct += best == validation.labels()[row] ? 1 : 0;
    }
    assertThat(correct / (double) validation.rows()).isCloseTo(result.bestValidationAccuracy(), within(0.003));
  }

  @Test
  void theSameSeedGivesTheSameModel() throws Exception {
    LabelledRows few = train.slice(0, 1_000);
    OnnxMl.ModelProto a = SupervisedTrainer.train(small(), few, validation, oneEpoch(), null).model();
    OnnxMl.ModelProto b = SupervisedTrainer.train(small(), few, validation, oneEpoch(), null).model();
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    assertThat(a.toByteArray()).isNotEqualTo(small().toByteArray());
  }

  @Test
  void zeroEpochsReturnTheModelAsGiven() throws Exception {
    TrainingResult result = SupervisedTrainer.train(small(), train.slice(0, 100), validation,
        TrainingOptions.builder().epochs(0).build(), null);
    assertThat(result.bestEpoch()).isZero();
    assertThat(result.model().toByteArray()).isEqualTo(small().toByteArray());
  }

  @Test
  void aLabelBeyondTheModelsClassesIsNamed() {
    LabelledRows bad = new LabelledRows(new float[2 * 784], new long[] {1, 28, 28}, new int[] {3, 10});
    assertThatThrownBy(() -> SupervisedTrainer.train(small(), bad, validation, oneEpoch(), null))
        .isInstanceOf(TrainingException.class)
        .hasMessage("training row 1 has label 10; the model scores 10 classes (0 to 9)");
  }

  @Test
  void rowsOfAnotherShapeAreNamed() {
    LabelledRows bad = new LabelledRows(new float[2 * 100], new long[] {1, 10, 10}, new int[] {1, 2});
    assertThatThrownBy(() -> SupervisedTrainer.train(small(), bad, validation, oneEpoch(), null))
        .isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("the model does not run on rows of shape [1, 10, 10]: ");
  }

  @Test
  void optionsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> TrainingOptions.builder().batchSize(0).build())
        .hasMessage("batch size 0, expected 1 or more");
    assertThatThrownBy(() -> TrainingOptions.builder().learningRate(Float.NaN).build())
        .hasMessage("learning rate NaN, expected a positive number");
    assertThatThrownBy(() -> TrainingOptions.builder().epochs(-1).build())
        .hasMessage("epochs -1, expected 0 or more");
  }
}
