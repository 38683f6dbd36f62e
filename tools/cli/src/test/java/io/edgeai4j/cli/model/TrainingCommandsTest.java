package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.fashion.ConvClassifierGraph;
import io.edgeai4j.train.fashion.FashionMnist;
import io.edgeai4j.train.fit.LabelledRows;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code edge model finetune} and {@code edge model distill} on real Fashion-MNIST rows (Debian's
 * dataset-fashion-mnist, installed by the build) and the committed teacher: one small real run each, and the usage and
 * data errors.
 */
class TrainingCommandsTest {
  private static final Path TEACHER =
      Path.of("../../model-tooling/model-optimization/src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");

  @TempDir static Path shared;
  @TempDir Path dir;

  private static LabelledRows validation;
  private static Path labelled;
  private static Path unlabelled;
  private static Path validationLabelled;
  private static Path validationUnlabelled;
  private static Path weak;

  @BeforeAll
  static void data() throws Exception {
    assertThat(FashionMnist.DEBIAN_DIR.resolve("train-images-idx3-ubyte.gz")).as("Fashion-MNIST: apt-get install"
        + " dataset-fashion-mnist").isRegularFile();
    LabelledRows all = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    LabelledRows train = all.slice(0, 2_000);
    validation = all.slice(55_000, 55_500);
    labelled = write("labelled", train, true);
    unlabelled = write("unlabelled", train, false);
    validationLabelled = write("validation", validation, true);
    validationUnlabelled = write("validation-unlabelled", validation, false);
    weak = shared.resolve("small.onnx");
    OnnxModelFile.write(ConvClassifierGraph.build(8, 16, 16, 32, 3), weak);
  }

  private static Path write(String name, LabelledRows rows, boolean withLabels) throws Exception {
    double[] x = new double[rows.values().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = rows.values()[i];
    }
    double[] y = new double[rows.rows()];
    for (int i = 0; i < y.length; i++) {
      y[i] = rows.labels()[i];
    }
    Path dir = shared.resolve(name);
    TestDataSetWriter.write(dir, List.of(new DataTensor("image", OnnxMl.TensorProto.DataType.FLOAT_VALUE,
        new long[] {rows.rows(), 1, 28, 28}, x)), withLabels ? Optional.of(new DataTensor("labels",
        OnnxMl.TensorProto.DataType.INT64_VALUE, new long[] {y.length}, y)) : Optional.empty(), 500);
    return dir;
  }

  /** ONNX Runtime's top-1 of {@code model} on the validation rows: against the labels, or another model's top-1. */
  private static int[] top1(Path model) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model.toString());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(validation.values()),
            new long[] {validation.rows(), 1, 28, 28});
        OrtSession.Result r = s.run(Map.of("image", in))) {
      float[][] p = (float[][]) r.get(0).getValue();
      int[] top = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        for (int k = 1; k < p[i].length; k++) {
          top[i] = p[i][k] > p[i][top[i]] ? k : top[i];
        }
      }
      return top;
    }
  }

  private static double printedTop1(String out) {
    Matcher m = Pattern.compile("validation top-1 ([0-9.]+) %").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Double.parseDouble(m.group(1)) / 100;
  }

  private static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return (double) same / a.length;
  }

  @Test
  void finetuneImprovesAWeakModelOnLabelledRows() throws Exception {
    Path out = dir.resolve("tuned.onnx");
    double before = agreement(top1(weak), validation.labels());

    CliRun run = CliRun.of("model", "finetune", "--data", labelled.toString(), "--validation",
        validationLabelled.toString(), "--epochs", "1", "--batch-size", "32", "--lr", "0.003", "--seed", "5",
        weak.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("epoch 1/1 [", "validation top-1", "best");
    assertThat(run.out()).startsWith("wrote " + out + ": best epoch 1 of 1 run, validation top-1 ")
        .contains("on 500 rows; ONNX Runtime loads it");
    double after = agreement(top1(out), validation.labels());
    assertThat(before).isLessThan(0.3);
    assertThat(after).isGreaterThan(0.65);
    assertThat(printedTop1(run.out())).as("what training measured, ONNX Runtime measures").isCloseTo(after,
        within(0.005));
  }

  @Test
  void finetuneFoldsTheBatchNormalizationIntoTheConvWhenAsked() throws Exception {
    Path model = dir.resolve("bn.onnx");
    io.edgeai4j.optimize.onnx.OnnxModelFile.writeChecked(BatchNormModel.build(), model);
    Path out = dir.resolve("bn-tuned.onnx");

    CliRun run = CliRun.of("model", "finetune", "--data", labelled.toString(), "--epochs", "1", "--fold-batchnorm",
        model.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(io.edgeai4j.optimize.inspect.ModelInspector.inspect(out).opHistogram())
        .doesNotContainKey("BatchNormalization").containsEntry("Conv", 1);
  }

  @Test
  void distillOnUnlabelledRowsBringsTheStudentToAgreeWithTheTeacher() throws Exception {
    Path out = dir.resolve("student.onnx");
    int[] teacher = top1(TEACHER);
    double before = agreement(top1(weak), teacher);

    CliRun run = CliRun.of("model", "distill", "--teacher", TEACHER.toString(), "--student", weak.toString(),
        "--data", unlabelled.toString(), "--validation", validationUnlabelled.toString(), "--epochs", "1",
        "--batch-size", "32", "--lr", "0.003", "--seed", "5", "--temperature", "4", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("teacher: 8/8 batches", "epoch 1/1 [", "best");
    double after = agreement(top1(out), teacher);
    assertThat(before).isLessThan(0.3);
    assertThat(after).isGreaterThan(0.65);
    assertThat(printedTop1(run.out())).as("what training measured, ONNX Runtime measures").isCloseTo(after,
        within(0.005));
  }

  @Test
  void withoutValidationTheLastTenthOfTheDataValidates() throws Exception {
    Path out = dir.resolve("tuned.onnx");
    CliRun run = CliRun.of("model", "finetune", "--data", labelled.toString(), "--epochs", "0", weak.toString(),
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("best epoch 0 of 0 run", "on 200 rows held out of --data");
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(weak));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "finetune SMALL OUT|2|Missing required option: '--data=DIR'",
      "finetune --data LABELLED --epochs -1 SMALL OUT|2|epochs -1, expected 0 or more",
      "finetune --data LABELLED --lr 0 SMALL OUT|2|learning rate 0.0, expected a positive number",
      "finetune --data UNLABELLED SMALL OUT|65|has no labels.pb; fine-tuning needs labelled rows",
      "finetune --data LABELLED SMALL SMALL|73|OUTPUT.onnx is '",
      "finetune --data LABELLED MISSING OUT|66|INPUT.onnx: '",
      "finetune --data MISSING SMALL OUT|66|--data: ",
      "distill --teacher TEACHER --student SMALL --data LABELLED --alpha 2 OUT|2|alpha 2.0, expected 0 to 1",
      "distill --teacher TEACHER --student SMALL --data LABELLED --temperature 0 OUT|2|temperature 0.0, expected a"
          + " positive number",
      "distill --student SMALL --data LABELLED OUT|2|Missing required option: '--teacher=T.onnx'",
      "distill --teacher MISSING --student SMALL --data LABELLED OUT|66|--teacher: '",
      "distill --teacher TEACHER --student ERF --data MISSING OUT|65|cannot be trained: node 'erf' (Erf): op Erf has"
          + " no training kernel; supported: "})
  void usageAndDataErrorsAreNamed(String args, int exitCode, String message) throws Exception {
    Path erf = dir.resolve("erf.onnx");
    OnnxMl.ModelProto small = ConvClassifierGraph.build(4, 4, 4, 8, 3);
    OnnxMl.GraphProto.Builder g = small.getGraph().toBuilder();
    g.setNode(0, g.getNode(0).toBuilder().setOpType("Erf").setName("erf").clearAttribute());
    OnnxModelFile.write(small.toBuilder().setGraph(g).build(), erf);
    String[] argv = ("model " + args).replace("UNLABELLED", unlabelled.toString())
        .replace("LABELLED", labelled.toString()).replace("SMALL", weak.toString())
        .replace("TEACHER", TEACHER.toString()).replace("MISSING", dir.resolve("missing").toString())
        .replace("ERF", erf.toString()).replace("OUT", dir.resolve("out.onnx").toString()).split(" ");

    CliRun run = CliRun.of(argv);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(dir.resolve("out.onnx")).doesNotExist();
    if (exitCode != ExitCodes.USAGE) {
      assertThat(run.err()).doesNotContain("epoch ", "batches");
    }
  }
}
