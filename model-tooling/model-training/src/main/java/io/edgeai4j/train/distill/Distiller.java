package io.edgeai4j.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.EpochLoop;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingResult;
import io.edgeai4j.train.graph.GraphProgram;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015): a student ONNX model learns the teacher's temperature-softened
 * class probabilities ({@link DistillationLoss}), plus the labels where the rows have them. The teacher runs on ONNX
 * Runtime once over the training and validation rows before training ({@link TeacherLogits}; it is fixed, so its scores
 * do not change between epochs); the student trains in the shared {@link EpochLoop}: Adam, seeded shuffles, validation
 * top-1 after each epoch, the best epoch kept, early stopping after {@code patience} epochs without a better one.
 * Validation rows without labels are scored against the teacher's top-1 (agreement with the teacher). Stateless.
 */
public final class Distiller {
  private Distiller() {}

  /**
   * Distills {@code teacher} into {@code student}.
   *
   * @param teacher Any one-input ONNX classifier ONNX Runtime runs whose first output is class scores, or a
   *     Softmax/LogSoftmax of them.
   * @param student A model of the ops {@link GraphProgram} trains, with the teacher's input and class count.
   * @param validation Rows scored after each epoch: against their labels, or the teacher's top-1 when unlabelled.
   * @param progress Lines for the teacher's pass and each epoch (the CLI passes stderr); null for none.
   * @throws TrainingException The student has an op without a training kernel (before the teacher runs), the teacher
   *     and student disagree on the classes, a label is outside them, or a model does not take the rows.
   */
  public static TrainingResult distill(OnnxMl.ModelProto teacher, OnnxMl.ModelProto student, DataRows train,
      DataRows validation, DistillationOptions options, PrintWriter progress) throws TrainingException {
    GraphProgram.check(student);
    if (!Arrays.equals(train.rowShape(), validation.rowShape()) && validation.rows() > 0) {
      throw new TrainingException("validation rows have shape " + Arrays.toString(validation.rowShape())
          + ", training rows " + Arrays.toString(train.rowShape()) + "; expected the same");
    }
    TeacherLogits.Scores soft = TeacherLogits.compute(teacher, train, progress);
    LabelledRows scored = validation.labelled().isPresent() ? validation.labelled().get()
        : new LabelledRows(validation.values(), validation.rowShape(),
            TeacherLogits.compute(teacher, validation, null).argMax());
    int classes = soft.classes();
    float t = options.temperature();
    float alpha = options.alpha();
    int[] labels = train.labels();
    float[] teacherScores = soft.values();
    return EpochLoop.train(student, train, scored, options.training(), progress, c -> {
      if (c != classes) {
        throw new TrainingException("the student scores " + c + " classes, the teacher " + classes
            + "; expected the same");
      }
      if (labels != null) {
        EpochLoop.checkLabels(train.labelled().orElseThrow(), c, "training");
      }
    }, (logits, rows, step) -> {
      float[] batch = new float[rows.length * classes];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(teacherScores, rows[i] * classes, batch, i * classes, classes);
      }
      NDArray teacherLogits = step.create(batch, new Shape(rows.length, classes));
      NDArray oneHot = labels == null ? null
          : step.create(SupervisedTrainer.pick(labels, rows)).oneHot(classes);
      return DistillationLoss.of(logits, teacherLogits, oneHot, t, alpha);
    });
  }
}
