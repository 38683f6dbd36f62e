package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.distill.DistillationOptions;
import io.edgeai4j.train.distill.Distiller;
import io.edgeai4j.train.fit.TrainingOptions;
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
 * {@code edge model distill --teacher T.onnx --student S.onnx --data DIR [--temperature T] [--alpha A] [--epochs N]
 * [--validation DIR] OUTPUT.onnx}: knowledge distillation ({@link Distiller}): the teacher runs on ONNX Runtime, the
 * student trains on DJL's PyTorch engine (offline); the best epoch is written, checked by ONNX Runtime.
 */
@Command(name = "distill", mixinStandardHelpOptions = true,
    description = {"Distills --teacher into --student and writes OUTPUT.onnx (Hinton et al.): loss = alpha * T^2 *"
        + " KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * cross-entropy(student, labels) on labelled"
        + " rows; T^2 * KL alone on unlabelled rows (data without labels.pb). The teacher is any one-input ONNX"
        + " classifier ONNX Runtime runs (its class scores: the input of a final Softmax/LogSoftmax, else its first"
        + " output); the student any ONNX model of the trainable ops with the same input and classes (e.g. untrained,"
        + " or a pruned teacher). Validation top-1 after each epoch, against labels or, for unlabelled rows, the"
        + " teacher's top-1; the best epoch kept; early stop after --patience epochs. Progress on stderr."})
public final class DistillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TrainingRun run;

  @Parameters(index = "0", paramLabel = "OUTPUT.onnx", description = "Where to write the trained student (replaced"
      + " when it exists; never an input).")
  Path output;

  @Option(names = "--teacher", required = true, paramLabel = "T.onnx", description = "The model learned from.")
  Path teacher;

  @Option(names = "--student", required = true, paramLabel = "S.onnx", description = "The model trained.")
  Path student;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Training rows, labelled or not.")
  Path data;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "4", description = "Softening temperature"
      + " (default 4).")
  float temperature;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7", description = "Weight of the teacher's term"
      + " against the labels', 0 to 1, on labelled rows (default 0.7).")
  float alpha;

  @Option(names = "--lr", paramLabel = "X", defaultValue = "0.001", description = "Adam's learning rate (default"
      + " 0.001).")
  float learningRate;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      TrainingOptions training = run.options(learningRate);
      DistillationOptions options;
      try {
        options = new DistillationOptions(temperature, alpha, training);
      } catch (IllegalArgumentException e) {
        throw new TrainingRun.Failure(ExitCodes.USAGE, e.getMessage());
      }
      TrainingRun.distinct(output, teacher, student);
      OnnxMl.ModelProto t = TrainingRun.model("--teacher", teacher);
      OnnxMl.ModelProto s = TrainingRun.model("--student", student);
      TrainingRun.trainable("--student", student, s);
      TrainingRun.Data rows = run.data(data);
      TrainingRun.offline();
      TrainingResult result;
      try {
        result = Distiller.distill(t, s, rows.train(), rows.validation(), options, err);
      } catch (TrainingException e) {
        throw new TrainingRun.Failure(ExitCodes.DATA_ERROR, e.getMessage());
      }
      run.write(result, output, rows, spec.commandLine().getOut());
      return ExitCodes.OK;
    } catch (TrainingRun.Failure f) {
      err.println("edge model distill: " + f.getMessage());
      return f.exitCode;
    }
  }
}
