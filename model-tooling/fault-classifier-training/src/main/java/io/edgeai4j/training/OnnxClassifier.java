package io.edgeai4j.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An exported {@code model.onnx} run with ONNX Runtime on the CPU, to score it as the inference module will run
 * it. Owns its {@link OrtSession}: {@link #close()} releases it (idempotent). Not thread-safe.
 */
public final class OnnxClassifier implements AutoCloseable {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private boolean closed;

  /**
   * Loads a model.
   *
   * @throws OrtException If ONNX Runtime cannot load it.
   */
  public OnnxClassifier(Path modelOnnx) throws OrtException {
    this.session = environment.createSession(modelOnnx.toString());
  }

  /** The session, to inspect inputs and outputs; closed with this classifier. */
  public OrtSession session() {
    return session;
  }

  /**
   * The class probabilities of raw feature rows, one row per input row, columns in {@link FaultClass} order.
   *
   * @throws OrtException If the run fails.
   */
  public float[][] probabilities(List<double[]> rows) throws OrtException {
    int columns = FeatureVector.FIELDS.size();
    FloatBuffer data = FloatBuffer.allocate(rows.size() * columns);
    for (double[] row : rows) {
      for (double v : row) {
        data.put((float) v);
      }
    }
    data.flip();
    try (OnnxTensor input = OnnxTensor.createTensor(environment, data, new long[] {rows.size(), columns});
        OrtSession.Result result = session.run(Map.of(ModelExporter.INPUT, input))) {
      return (float[][]) result.get(ModelExporter.OUTPUT).orElseThrow().getValue();
    }
  }

  /**
   * The predicted class (the most probable) of each raw feature row.
   *
   * @throws OrtException If the run fails.
   */
  public FaultClass[] predict(List<double[]> rows) throws OrtException {
    float[][] probabilities = probabilities(rows);
    FaultClass[] classes = new FaultClass[probabilities.length];
    for (int r = 0; r < probabilities.length; r++) {
      int best = 0;
      for (int c = 1; c < probabilities[r].length; c++) {
        if (probabilities[r][c] > probabilities[r][best]) {
          best = c;
        }
      }
      classes[r] = FaultClass.values()[best];
    }
    return classes;
  }

  /**
   * The confusion matrix of the model on {@code windows}.
   *
   * @throws OrtException If a run fails.
   */
  public ConfusionMatrix evaluate(List<LabelledWindow> windows) throws OrtException {
    FaultClass[] predicted = predict(windows.stream().map(LabelledWindow::features).toList());
    ConfusionMatrix matrix = new ConfusionMatrix();
    for (int i = 0; i < predicted.length; i++) {
      matrix.add(windows.get(i).label(), predicted[i]);
    }
    return matrix;
  }

  @Override
  public void close() throws OrtException {
    if (!closed) {
      closed = true;
      session.close();
    }
  }
}
