package io.edgeai4j.train.fashion;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Trains the Fashion-MNIST conv classifier that the quantization proof of {@code model-optimization} uses, from its
 * recipe ({@link Recipe#DEFAULT}): {@code java ... TrainFashionMnistClassifier OUT.onnx [DATA_DIR] [EPOCHS]}. The
 * first 55,000 training images train, the last 5,000 validate (the best epoch is kept); the test images are not
 * seen. Prints each epoch and the validation accuracy; writes OUT.onnx after ONNX Runtime loads it.
 */
public final class TrainFashionMnistClassifier {
  /**
   * The recipe of the committed model.
   *
   * @param validationRows The last rows of the training file kept out of training.
   */
  public record Recipe(int c1, int c2, int c3, int hidden, long seed, int validationRows, TrainingOptions options) {
    public static final Recipe DEFAULT = new Recipe(32, 96, 128, 128, 14, 5_000,
        TrainingOptions.builder().epochs(5).batchSize(64).learningRate(1e-3f).seed(14).patience(2).build());

    /** The untrained graph. */
    public OnnxMl.ModelProto initialGraph() {
      return ConvClassifierGraph.build(c1, c2, c3, hidden, seed);
    }
  }

  private TrainFashionMnistClassifier() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: TrainFashionMnistClassifier OUT.onnx [DATA_DIR (default "
          + FashionMnist.DEBIAN_DIR + ")] [EPOCHS]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Path data = args.length > 1 ? Path.of(args[1]) : FashionMnist.DEBIAN_DIR;
    Recipe recipe = Recipe.DEFAULT;
    if (args.length > 2) {
      TrainingOptions o = recipe.options();
      recipe = new Recipe(recipe.c1(), recipe.c2(), recipe.c3(), recipe.hidden(), recipe.seed(),
          recipe.validationRows(), TrainingOptions.builder().epochs(Integer.parseInt(args[2]))
              .batchSize(o.batchSize()).learningRate(o.learningRate()).seed(o.seed()).patience(o.patience()).build());
    }
    LabelledRows all = FashionMnist.train(data);
    int split = all.rows() - recipe.validationRows();
    PrintWriter progress = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    TrainingResult result = SupervisedTrainer.train(recipe.initialGraph(), all.slice(0, split),
        all.slice(split, all.rows()), recipe.options(), progress);
    OnnxModelFile.writeChecked(result.model(), out);
    System.out.printf("wrote %s: best epoch %d, validation top-1 %.2f %% (%d rows)%n", out, result.bestEpoch(),
        100 * result.bestValidationAccuracy(), all.rows() - split);
  }
}
