package io.edgeai4j.train.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.FashionMnistFiles;
import io.edgeai4j.train.FashionMnistTeacher;
import io.edgeai4j.train.Graphs;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fashion.ConvClassifierGraph;
import io.edgeai4j.train.fashion.FashionMnist;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real distillation: the committed Fashion-MNIST teacher on ONNX Runtime, a small conv student trained by DJL. */
class DistillerTest {
  private static OnnxMl.ModelProto teacher;
  private static LabelledRows train;
  private static LabelledRows validation;

  @BeforeAll
  static void data() throws Exception {
    teacher = FashionMnistTeacher.model();
    LabelledRows all = FashionMnist.train(FashionMnistFiles.dir());
    train = all.slice(0, 2_000);
    validation = all.slice(55_000, 55_500);
  }

  private static OnnxMl.ModelProto student() {
    return ConvClassifierGraph.build(8, 16, 16, 32, 3);
  }

  private static DistillationOptions oneEpoch() {
    return DistillationOptions.of(TrainingOptions.builder().epochs(1).batchSize(32).learningRate(3e-3f).seed(5)
        .build());
  }

  private static DataRows unlabelled(LabelledRows rows) {
    return DataRows.unlabelled(rows.values(), rows.rowShape());
  }

  @Test
  void onUnlabelledRowsTheStudentComesToAgreeWithTheTeacher() throws Exception {
    StringWriter progress = new StringWriter();
    TrainingResult result = Distiller.distill(teacher, student(), unlabelled(train), unlabelled(validation),
        oneEpoch(), new PrintWriter(progress, true));

    // Unlabelled validation rows are scored against the teacher's top-1: that accuracy is agreement with the teacher.
    assertThat(result.initialValidationAccuracy()).isLessThan(0.3);
    assertThat(result.bestEpoch()).isEqualTo(1);
    assertThat(result.bestValidationAccuracy()).isGreaterThan(0.65);
    assertThat(progress.toString()).contains("teacher: 8/8 batches", "epoch 1/1 [", "validation top-1", "best");

    // ONNX Runtime, running the written student and the teacher, agrees with what training measured.
    float[] s = Graphs.runOrt(result.model(), validation.values(), new long[] {500, 1, 28, 28}, "image");
    int[] t = TeacherLogits.compute(teacher, unlabelled(validation), null).argMax();
    int agree = 0;
    for (int r = 0; r < 500; r++) {
      int best = 0;
      for (int k = 1; k < 10; k++) {
        best = s[r * 10 + k] > s[r * 10 + best] ? k : best;
      }
      agree += best == t[r] ? 1 : 0;
    }
    assertThat(agree / 500.0).isCloseTo(result.bestValidationAccuracy(), within(0.005));
  }

  @Test
  void withLabelsBothTermsTrainAndValidationIsAgainstTheLabels() throws Exception {
    TrainingResult result = Distiller.distill(teacher, student(), DataRows.of(train), DataRows.of(validation),
        oneEpoch(), null);
    assertThat(result.initialValidationAccuracy()).isLessThan(0.3);
    assertThat(result.bestValidationAccuracy()).isGreaterThan(0.65);
  }

  @Test
  void theSameSeedGivesTheSameStudent() throws Exception {
    DataRows few = unlabelled(train.slice(0, 500));
    DataRows v = unlabelled(validation.slice(0, 100));
    OnnxMl.ModelProto a = Distiller.distill(teacher, student(), few, v, oneEpoch(), null).model();
    OnnxMl.ModelProto b = Distiller.distill(teacher, student(), few, v, oneEpoch(), null).model();
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    assertThat(a.toByteArray()).isNotEqualTo(student().toByteArray());
  }

  @Test
  void aStudentOpWithoutAKernelIsNamedBeforeTheTeacherRuns() {
    OnnxMl.ModelProto erf = Graphs.model(new long[] {1, 1, 28, 28}, List.of(),
        Graphs.node("Erf", Graphs.list("x"), "y"));
    StringWriter progress = new StringWriter();
    assertThatThrownBy(() -> Distiller.distill(teacher, erf, unlabelled(train), unlabelled(validation), oneEpoch(),
        new PrintWriter(progress, true)))
        .isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("node 'erf' (Erf): op Erf has no training kernel; supported: ");
    assertThat(progress.toString()).doesNotContain("teacher:");
  }

  @Test
  void aStudentOfOtherClassesIsNamed() {
    OnnxMl.ModelProto five = ConvClassifierGraph.build(4, 4, 4, 8, 3);
    OnnxMl.GraphProto.Builder g = five.getGraph().toBuilder();
    // The last Gemm (transB) to 5 classes instead of 10: fc2.weight [5, 8], fc2.bias [5].
    for (int i = 0; i < g.getInitializerCount(); i++) {
      String name = g.getInitializer(i).getName();
      if (name.equals("fc2.weight")) {
        g.setInitializer(i, Graphs.random(name, 1, 5, 8));
      } else if (name.equals("fc2.bias")) {
        g.setInitializer(i, Graphs.random(name, 2, 5));
      }
    }
    OnnxMl.ModelProto student = five.toBuilder().setGraph(g).build();
    assertThatThrownBy(() -> Distiller.distill(teacher, student, unlabelled(train.slice(0, 10)),
        unlabelled(validation.slice(0, 10)), oneEpoch(), null))
        .isInstanceOf(TrainingException.class)
        .hasMessage("the student scores 5 classes, the teacher 10; expected the same");
  }

  @Test
  void optionsOutOfRangeAreRefused() {
    TrainingOptions t = TrainingOptions.builder().build();
    assertThatThrownBy(() -> new DistillationOptions(0, 0.5f, t)).hasMessage("temperature 0.0, expected a positive"
        + " number");
    assertThatThrownBy(() -> new DistillationOptions(4, 1.5f, t)).hasMessage("alpha 1.5, expected 0 to 1");
  }
}
