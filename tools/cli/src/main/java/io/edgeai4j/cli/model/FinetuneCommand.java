package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model finetune --data DIR [--epochs N] [--batch-size B] [--lr X] [--validation DIR] INPUT.onnx
 * OUTPUT.onnx}: supervised training of an ONNX classifier on labelled rows ({@link SupervisedTrainer}, DJL's PyTorch
 * engine, offline); the best epoch is written, checked by ONNX Runtime.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = {"Fine-tunes INPUT.onnx on labelled data and writes OUTPUT.onnx: cross-entropy of the class scores"
        + " (the input of a final Softmax/LogSoftmax), Adam, shuffled mini-batches, validation top-1 after each epoch,"
        + " the best epoch kept (the model as given when no epoch beats it), early stop after --patience epochs."
        + " --data DIR: ONNX's test-data layout (DIR/test_data_set_<n>/input_0.pb, float32 [rows, ...], and labels.pb)."
        + " An op without a training kernel is named before anything runs. Progress on stderr."})
public final class FinetuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TrainingRun run;

  @Parameters(index = "0", paramLabel = "INPUT.onnx", description = "The model to train.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT.onnx", description = "Where to write the trained model (replaced when"
      + " it exists; never INPUT).")
  Path output;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Labelled training rows.")
  Path data;

  @Option(names = "--lr", paramLabel = "X", defaultValue = "0.0001", description = "Adam's learning rate (default"
      + " 0.0001: a trained model is nudged, not retrained).")
  float learningRate;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      var options = run.options(learningRate);
      TrainingRun.distinct(output, input);
      OnnxMl.ModelProto model = TrainingRun.model("INPUT.onnx", input);
      TrainingRun.trainable("INPUT.onnx", input, model);
      TrainingRun.Data rows = run.data(data);
      LabelledRows train = labelled("--data", data, rows.train());
      LabelledRows validation = labelled(run.validation == null ? "--data" : "--validation",
          run.validation == null ? data : run.validation, rows.validation());
      TrainingRun.offline();
      TrainingResult result;
      try {
        result = SupervisedTrainer.train(model, train, validation, options, err);
      } catch (TrainingException e) {
        throw new TrainingRun.Failure(ExitCodes.DATA_ERROR, "'" + input + "': " + e.getMessage());
      }
      run.write(result, output, rows, spec.commandLine().getOut());
      return ExitCodes.OK;
    } catch (TrainingRun.Failure f) {
      err.println("edge model finetune: " + f.getMessage());
      return f.exitCode;
    }
  }

  private static LabelledRows labelled(String option, Path dir, DataRows rows)
      throws TrainingRun.Failure {
    return rows.labelled().orElseThrow(() -> new TrainingRun.Failure(ExitCodes.DATA_ERROR, option + " '" + dir
        + "' has no labels.pb; fine-tuning needs labelled rows (edge model distill --teacher learns from unlabelled"
        + " ones)"));
  }
}
