package io.edgeai4j.train.vibration;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.training.ConfusionMatrix;
import io.edgeai4j.training.FaultClass;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A vibration CNN {@code model.onnx} run by ONNX Runtime on the CPU, as the inference module runs it: windows in,
 * class probabilities out, in batches. Owns its {@link OrtSession}: {@link #close()} releases it (idempotent). Not
 * thread-safe.
 */
public final class VibrationCnnScorer implements AutoCloseable {
  private static final int BATCH = 64;
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private boolean closed;

  /**
   * Loads a model with {@code threads} intra-op threads (0: ONNX Runtime's default).
   *
   * @throws OrtException If ONNX Runtime cannot load it.
   */
  public VibrationCnnScorer(Path modelOnnx, int threads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      this.session = environment.createSession(modelOnnx.toString(), options);
    }
  }

  /** The session, to inspect inputs and outputs; closed with this scorer. */
  public OrtSession session() {
    return session;
  }

  /**
   * The class probabilities of each window, columns in {@link FaultClass} order.
   *
   * @throws OrtException If a run fails.
   */
  public float[][] probabilities(List<float[]> windows) throws OrtException {
    float[][] out = new float[windows.size()][];
    for (int from = 0; from < windows.size(); from += BATCH) {
      List<float[]> batch = windows.subList(from, Math.min(windows.size(), from + BATCH));
      int length = batch.get(0).length;
      FloatBuffer data = FloatBuffer.allocate(batch.size() * length);
      for (float[] w : batch) {
        if (w.length != length) {
          throw new IllegalArgumentException("a window of " + w.length + " samples in a batch of " + length);
        }
        data.put(w);
      }
      data.flip();
      try (OnnxTensor input = OnnxTensor.createTensor(environment, data, new long[] {batch.size(), 1, length});
          OrtSession.Result result = session.run(Map.of(VibrationCnnGraph.INPUT, input))) {
        float[][] p = (float[][]) result.get(VibrationCnnGraph.OUTPUT).orElseThrow().getValue();
        System.arraycopy(p, 0, out, from, p.length);
      }
    }
    return out;
  }

  /**
   * The confusion matrix of the model's top-1 class against each window's label.
   *
   * @throws OrtException If a run fails.
   */
  public ConfusionMatrix evaluate(List<RawWindow> windows) throws OrtException {
    float[][] p = probabilities(windows.stream().map(RawWindow::values).toList());
    ConfusionMatrix matrix = new ConfusionMatrix();
    for (int i = 0; i < p.length; i++) {
      matrix.add(windows.get(i).label(), FaultClass.values()[argmax(p[i])]);
    }
    return matrix;
  }

  static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() throws OrtException {
    if (!closed) {
      closed = true;
      session.close();
    }
  }
}
