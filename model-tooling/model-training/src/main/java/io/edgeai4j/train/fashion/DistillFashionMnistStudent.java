package io.edgeai4j.train.fashion;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.distill.DistillationOptions;
import io.edgeai4j.train.distill.Distiller;
import io.edgeai4j.train.distill.TeacherLogits;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The distillation proof of issue 16 on Fashion-MNIST: {@code java ... DistillFashionMnistStudent TEACHER.onnx OUT_DIR
 * C1,C2,C3,HIDDEN EPOCHS TEMPERATURE ALPHA}. One {@link ConvClassifierGraph} student (weights from seed 14) is distilled
 * from the teacher on the first 55,000 training images with their labels, and the same student is trained on the hard
 * labels alone with the same options (Adam 0.001, batches of 64, seed 14, patience 2); the last 5,000 training images
 * validate. Writes {@code OUT_DIR/student_distilled.onnx} and {@code OUT_DIR/student_hard.onnx}, then prints the top-1
 * of the teacher and both students on the 10,000 test images, run by ONNX Runtime.
 */
public final class DistillFashionMnistStudent {
  private static final int VALIDATION_ROWS = 5_000;

  private DistillFashionMnistStudent() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: DistillFashionMnistStudent TEACHER.onnx OUT_DIR C1,C2,C3,HIDDEN EPOCHS TEMPERATURE"
          + " ALPHA");
      System.exit(2);
    }
    OnnxMl.ModelProto teacher = OnnxModelFile.read(Path.of(args[0]));
    Path out = Files.createDirectories(Path.of(args[1]));
    String[] sizes = args[2].split(",");
    OnnxMl.ModelProto student = ConvClassifierGraph.build(Integer.parseInt(sizes[0]), Integer.parseInt(sizes[1]),
        Integer.parseInt(sizes[2]), Integer.parseInt(sizes[3]), 14);
    TrainingOptions training = TrainingOptions.builder().epochs(Integer.parseInt(args[3])).batchSize(64)
        .learningRate(1e-3f).seed(14).patience(2).build();
    DistillationOptions options = new DistillationOptions(Float.parseFloat(args[4]), Float.parseFloat(args[5]),
        training);
    LabelledRows all = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    LabelledRows test = FashionMnist.test(FashionMnist.DEBIAN_DIR);
    int split = all.rows() - VALIDATION_ROWS;
    LabelledRows train = all.slice(0, split);
    LabelledRows validation = all.slice(split, all.rows());
    PrintWriter progress = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    long parameters = parameters(student);
    System.out.printf("student %s: %,d parameters (teacher %,d: %.3fx)%n", args[2], parameters, parameters(teacher),
        (double) parameters / parameters(teacher));

    long start = System.nanoTime();
    TrainingResult distilled = Distiller.distill(teacher, student, DataRows.of(train), DataRows.of(validation),
        options, progress);
    double distillSeconds = (System.nanoTime() - start) / 1e9;
    OnnxModelFile.writeChecked(distilled.model(), out.resolve("student_distilled.onnx"));

    start = System.nanoTime();
    TrainingResult hard = SupervisedTrainer.train(student, train, validation, training, progress);
    double hardSeconds = (System.nanoTime() - start) / 1e9;
    OnnxModelFile.writeChecked(hard.model(), out.resolve("student_hard.onnx"));

    System.out.printf("teacher            test top-1 %.2f %%%n", 100 * top1(teacher, test));
    System.out.printf("student distilled  test top-1 %.2f %%  (best epoch %d, %.0f s, T %s, alpha %s)%n",
        100 * top1(distilled.model(), test), distilled.bestEpoch(), distillSeconds, args[4], args[5]);
    System.out.printf("student hard       test top-1 %.2f %%  (best epoch %d, %.0f s)%n",
        100 * top1(hard.model(), test), hard.bestEpoch(), hardSeconds);
  }

  /** Elements of the model's float initializers. */
  static long parameters(OnnxMl.ModelProto model) {
    long n = 0;
    for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
      if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        long size = 1;
        for (long d : t.getDimsList()) {
          size *= d;
        }
        n += size;
      }
    }
    return n;
  }

  private static double top1(OnnxMl.ModelProto model, LabelledRows rows) throws Exception {
    int[] predicted = TeacherLogits.compute(model, DataRows.of(rows), null).argMax();
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == rows.labels()[i] ? 1 : 0;
    }
    return (double) correct / rows.rows();
  }
}
