package io.edgeai4j.train.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.FashionMnistFiles;
import io.edgeai4j.train.FashionMnistTeacher;
import io.edgeai4j.train.Graphs;
import io.edgeai4j.train.fashion.FashionMnist;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.LabelledRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The teacher's class scores: the input of its final Softmax, read through ONNX Runtime batch by batch. */
class TeacherLogitsTest {
  private static LabelledRows rows;

  @BeforeAll
  static void data() throws Exception {
    rows = FashionMnist.test(FashionMnistFiles.dir()).slice(0, 600); // 3 batches of 256, the last one short
  }

  @Test
  void aSoftmaxOutputGivesItsInputWhoseSoftmaxIsTheModelsOutput() throws Exception {
    OnnxMl.ModelProto teacher = FashionMnistTeacher.model();
    assertThat(teacher.getGraph().getNode(teacher.getGraph().getNodeCount() - 1).getOpType()).isEqualTo("Softmax");

    TeacherLogits.Scores scores = TeacherLogits.compute(teacher, DataRows.of(rows), null);

    assertThat(scores.classes()).isEqualTo(10);
    assertThat(scores.values()).hasSize(600 * 10);
    float[] probabilities = Graphs.runOrt(teacher, rows.values(), new long[] {600, 1, 28, 28}, "image");
    double largestRowSum = 0;
    for (int r = 0; r < 600; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 10; k++) {
        max = Math.max(max, scores.values()[r * 10 + k]);
      }
      double sum = 0;
      double rowSum = 0;
      for (int k = 0; k < 10; k++) {
        sum += Math.exp(scores.values()[r * 10 + k] - max);
        rowSum += scores.values()[r * 10 + k];
      }
      largestRowSum = Math.max(largestRowSum, Math.abs(rowSum));
      for (int k = 0; k < 10; k++) {
        assertThat(Math.exp(scores.values()[r * 10 + k] - max) / sum).as("row %d class %d", r, k)
            .isCloseTo(probabilities[r * 10 + k], within(1e-5));
      }
    }
    assertThat(largestRowSum).as("scores, not probabilities").isGreaterThan(2);
    int correct = 0;
    int[] top = scores.argMax();
    for (int r = 0; r < 600; r++) {
      correct += top[r] == rows.labels()[r] ? 1 : 0;
    }
    assertThat(correct / 600.0).isGreaterThan(0.85);
  }

  @Test
  void aModelWithoutSoftmaxGivesItsFirstOutput() throws Exception {
    OnnxMl.ModelProto teacher = FashionMnistTeacher.model();
    OnnxMl.GraphProto.Builder g = teacher.getGraph().toBuilder();
    OnnxMl.NodeProto softmax = g.getNode(g.getNodeCount() - 1);
    g.removeNode(g.getNodeCount() - 1);
    g.setOutput(0, g.getOutput(0).toBuilder().setName(softmax.getInput(0)));
    OnnxMl.ModelProto logits = teacher.toBuilder().setGraph(g).build();
    assertThat(TeacherLogits.scoresName(logits)).isEqualTo(softmax.getInput(0));

    float[] expected = Graphs.runOrt(logits, rows.values(), new long[] {600, 1, 28, 28}, "image");
    float[] withSoftmax = TeacherLogits.compute(teacher, DataRows.of(rows), null).values();
    // Batches of 256 with ONNX Runtime's graph optimizations against one batch of 600 without: rounding only.
    assertThat(TeacherLogits.compute(logits, DataRows.of(rows), null).values()).containsExactly(expected,
        within(1e-4f));
    assertThat(withSoftmax).containsExactly(expected, within(1e-4f));
  }
}
