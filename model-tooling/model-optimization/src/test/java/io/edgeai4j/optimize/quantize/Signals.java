package io.edgeai4j.optimize.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated vibration-like windows (a sine whose frequency depends on a hidden class, plus noise) and ONNX Runtime runs
 * of a classifier on them: the data of the end-to-end quantization tests.
 */
final class Signals {
  private Signals() {}

  /** {@code rows} windows of {@code length} samples, row-major {@code [rows, 1, length]}. */
  static float[] windows(int rows, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rows * length];
    for (int r = 0; r < rows; r++) {
      int cls = random.nextInt(4);
      double frequency = 0.03 + 0.05 * cls;
      double amplitude = 0.5 + random.nextDouble() * 1.5;
      double phase = random.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < length; t++) {
        x[r * length + t] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * t + phase)
            + 0.2 * random.nextGaussian());
      }
    }
    return x;
  }

  /** Writes {@code sets} calibration sets of {@code rows} windows each. */
  static void writeCalibration(Path dir, int sets, int rows, int length, long seed) throws IOException {
    for (int s = 0; s < sets; s++) {
      DataDirs.writeSet(dir, s, windows(rows, length, seed + s), rows, 1, length);
    }
  }

  /** The model's top-1 class for each row (ONNX Runtime CPU, default options). */
  static int[] top1(Path model, float[] x, int rows, long... rowShape) throws Exception {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = rows;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result out = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
      FloatBuffer y = ((OnnxTensor) out.get(0)).getFloatBuffer();
      int classes = y.remaining() / rows;
      int[] top = new int[rows];
      for (int r = 0; r < rows; r++) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
          if (y.get(r * classes + c) > y.get(r * classes + best)) {
            best = c;
          }
        }
        top[r] = best;
      }
      return top;
    }
  }

  static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return (double) same / a.length;
  }
}
