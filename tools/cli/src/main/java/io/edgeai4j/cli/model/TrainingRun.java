package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fit.DataDirectoryRows;
import io.edgeai4j.train.prune.BatchNormFolding;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import io.edgeai4j.train.graph.GraphProgram;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * What {@code edge model finetune} and {@code edge model distill} share: the training options, reading models and data
 * directories with their errors and exit codes, the validation split, and writing the result checked by ONNX Runtime.
 * A picocli mixin; not thread-safe (one command run).
 */
final class TrainingRun {
  /** Share of {@code --data}'s rows held out for validation when no {@code --validation} is given (its last rows). */
  static final double HELD_OUT = 0.1;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs at most (default 5).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Rows per step (default 64).")
  int batchSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seeds the shuffles and dropout: the"
      + " same seed, data and models give the same output (default 1).")
  long seed;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "3", description = "Stop after N epochs without a"
      + " better validation top-1 (default 3); the best epoch is written.")
  int patience;

  @Option(names = "--fold-batchnorm", description = "Fold each BatchNormalization that follows a Conv into the Conv's"
      + " weights and bias in the model written (for deployment; the folded model trains on without them).")
  boolean foldBatchNorm;

  @Option(names = "--validation", paramLabel = "DIR", description = "Rows scored after each epoch (same layout as"
      + " --data). Default: the last 10 %% of --data's rows, which then do not train.")
  Path validation;

  /** Thrown with the exit code and the message to print. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** The training data and the rows that validate. */
  record Data(DataRows train, DataRows validation, boolean heldOut) {}

  /** DJL runs offline in the CLI: libtorch comes from the pytorch-native-cpu jar, nothing is downloaded. */
  static void offline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  TrainingOptions options(float learningRate) throws Failure {
    try {
      return TrainingOptions.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate).seed(seed)
          .patience(patience).build();
    } catch (IllegalArgumentException e) {
      throw new Failure(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** Reads a model named by {@code what}; a missing file is NO_INPUT, one that does not parse DATA_ERROR. */
  static OnnxMl.ModelProto model(String what, Path file) throws Failure {
    if (!Files.isRegularFile(file)) {
      throw new Failure(ExitCodes.NO_INPUT, what + ": '" + file + "' is not a file");
    }
    try {
      return OnnxModelFile.read(file);
    } catch (ModelFileException e) {
      throw new Failure(e.getCause() instanceof NoSuchFileException ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERROR,
          what + ": " + e.getMessage());
    }
  }

  /** Refuses a model with an op or attribute the trainer has no kernel for, naming it, before any work. */
  static void trainable(String what, Path file, OnnxMl.ModelProto model) throws Failure {
    try {
      GraphProgram.check(model);
    } catch (TrainingException e) {
      throw new Failure(ExitCodes.DATA_ERROR, what + " '" + file + "' cannot be trained: " + e.getMessage());
    }
  }

  /** Refuses an output that is one of the inputs. */
  static void distinct(Path output, Path... inputs) throws Failure {
    for (Path in : inputs) {
      try {
        if (Files.exists(output) && Files.exists(in) && Files.isSameFile(in, output)) {
          throw new Failure(ExitCodes.CANT_CREATE, "OUTPUT.onnx is '" + in + "', an input; write the trained model"
              + " to another file");
        }
      } catch (IOException e) {
        throw new Failure(ExitCodes.CANT_CREATE, "cannot compare '" + in + "' and '" + output + "': " + e);
      }
    }
  }

  /** The rows of {@code --data} and the validation rows ({@code --validation}, or --data's last 10 %). */
  Data data(Path dataDir) throws Failure {
    DataRows train = rows("--data", dataDir);
    if (validation != null) {
      return new Data(train, rows("--validation", validation), false);
    }
    int held = (int) Math.round(train.rows() * HELD_OUT);
    if (held < 1 || held >= train.rows()) {
      throw new Failure(ExitCodes.DATA_ERROR, "--data '" + dataDir + "' holds " + train.rows() + " row(s): too few to"
          + " hold 10 % out for validation; give --validation DIR");
    }
    int split = train.rows() - held;
    return new Data(train.slice(0, split), train.slice(split, train.rows()), true);
  }

  private static DataRows rows(String option, Path dir) throws Failure {
    try {
      return DataDirectoryRows.read(dir);
    } catch (DataSetException e) {
      throw new Failure(Files.isDirectory(dir) ? ExitCodes.DATA_ERROR : ExitCodes.NO_INPUT,
          option + ": " + e.getMessage());
    }
  }

  /** Writes the model after ONNX Runtime loads it and prints the summary line. */
  void write(TrainingResult result, Path output, Data data, PrintWriter out) throws Failure {
    try {
      OnnxModelFile.writeChecked(foldBatchNorm ? BatchNormFolding.fold(result.model()) : result.model(), output);
    } catch (ModelFileException e) {
      try {
        Files.deleteIfExists(output);
      } catch (IOException ignored) {
        // The message says the output is not usable.
      }
      throw new Failure(ExitCodes.SOFTWARE, "OUTPUT.onnx: " + e.getMessage());
    }
    out.printf(Locale.ROOT, "wrote %s: best epoch %d of %d run, validation top-1 %.2f %% (%.2f %% before) on %d rows%s;"
            + " ONNX Runtime loads it%n", output, result.bestEpoch(), result.epochs().size(),
        100 * result.bestValidationAccuracy(), 100 * result.initialValidationAccuracy(), data.validation().rows(),
        data.heldOut() ? " held out of --data" : "");
  }
}
