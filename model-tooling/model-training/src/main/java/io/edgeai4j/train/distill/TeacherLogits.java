package io.edgeai4j.train.distill;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fit.DataRows;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * A teacher's class scores (logits) on rows, computed by ONNX Runtime batch by batch. When the teacher's first output is
 * written by a Softmax or LogSoftmax, the scores are that node's input, read by adding it as a graph output of a copy of
 * the model (as the quantizer's calibration does); otherwise the first output is taken as the scores. Stateless.
 */
public final class TeacherLogits {
  private static final int BATCH = 256;

  private TeacherLogits() {}

  /** The name of the tensor holding the teacher's class scores: the input of a final Softmax/LogSoftmax, or output 0. */
  public static String scoresName(OnnxMl.ModelProto teacher) {
    String output = teacher.getGraph().getOutput(0).getName();
    for (OnnxMl.NodeProto node : teacher.getGraph().getNodeList()) {
      if (node.getOutputList().contains(output)
          && (node.getOpType().equals("Softmax") || node.getOpType().equals("LogSoftmax"))) {
        return node.getInput(0);
      }
    }
    return output;
  }

  /**
   * The teacher's scores on every row, {@code rows × classes} values, row after row.
   *
   * @param progress A line per 20 batches (null for none).
   * @throws TrainingException ONNX Runtime refuses the teacher or the rows, or the scores are not {@code [rows,
   *     classes]}.
   */
  public static Scores compute(OnnxMl.ModelProto teacher, DataRows rows, PrintWriter progress)
      throws TrainingException {
    String scores = scoresName(teacher);
    OnnxMl.GraphProto.Builder graph = teacher.getGraph().toBuilder();
    if (graph.getOutputList().stream().noneMatch(o -> o.getName().equals(scores))) {
      graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(scores).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
              .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
    }
    byte[] bytes = teacher.toBuilder().setGraph(graph).build().toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int size = rows.rowSize();
    long[] rowShape = rows.rowShape();
    float[] out = null;
    int classes = -1;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(bytes, options)) {
      if (session.getInputNames().size() != 1) {
        throw new TrainingException("the teacher takes " + session.getInputNames().size() + " inputs "
            + session.getInputNames() + "; distillation reads one-input models only");
      }
      String input = session.getInputNames().iterator().next();
      int batches = (rows.rows() + BATCH - 1) / BATCH;
      for (int b = 0; b < batches; b++) {
        int from = b * BATCH;
        int n = Math.min(BATCH, rows.rows() - from);
        long[] shape = new long[rowShape.length + 1];
        shape[0] = n;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        FloatBuffer x = FloatBuffer.wrap(rows.values(), from * size, n * size).slice();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, x, shape);
            OrtSession.Result result = session.run(Map.of(input, tensor), Set.of(scores))) {
          OnnxValue value = result.get(scores).orElseThrow();
          if (!(value instanceof OnnxTensor t) || t.getInfo().getShape().length != 2
              || t.getInfo().getShape()[0] != n) {
            throw new TrainingException("the teacher's scores '" + scores + "' are " + value.getInfo()
                + "; expected float32 [rows, classes]");
          }
          long[] got = t.getInfo().getShape();
          if (out == null) {
            classes = (int) got[1];
            out = new float[Math.multiplyExact(rows.rows(), classes)];
          } else if (got[1] != classes) {
            throw new TrainingException("the teacher's scores have " + got[1] + " classes in batch " + (b + 1)
                + " and " + classes + " before");
          }
          t.getFloatBuffer().get(out, from * classes, n * classes);
        }
        if (progress != null && (b % 20 == 0 || b == batches - 1)) {
          progress.printf("\rteacher: %d/%d batches", b + 1, batches);
          progress.flush();
        }
      }
      if (progress != null) {
        progress.println();
      }
    } catch (OrtException e) {
      throw new TrainingException("ONNX Runtime cannot run the teacher on rows of shape "
          + Arrays.toString(rowShape) + ": " + e.getMessage(), e);
    }
    return new Scores(out == null ? new float[0] : out, Math.max(classes, 0));
  }

  /**
   * Scores of every row.
   *
   * @param values {@code rows × classes} values, row after row.
   */
  public record Scores(float[] values, int classes) {
    /** The index of each row's highest score. */
    public int[] argMax() {
      int rows = classes == 0 ? 0 : values.length / classes;
      int[] best = new int[rows];
      for (int r = 0; r < rows; r++) {
        for (int k = 1; k < classes; k++) {
          if (values[r * classes + k] > values[r * classes + best[r]]) {
            best[r] = k;
          }
        }
      }
      return best;
    }
  }
}
