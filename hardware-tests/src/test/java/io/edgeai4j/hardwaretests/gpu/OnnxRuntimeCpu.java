package io.edgeai4j.hardwaretests.gpu;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/** The reference: ONNX Runtime on the CPU, run over the evaluation rows in batches. */
final class OnnxRuntimeCpu {
  private OnnxRuntimeCpu() { }

  /** The model's first output for every row, row-major ({@code rows x classes} values). */
  static float[] run(Path model, BundledModel m, BundledModel.Rows rows, int batch) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] out = new float[rows.rows() * m.classes];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toString(), options)) {
      String input = session.getInputNames().iterator().next();
      for (int first = 0; first < rows.rows(); first += batch) {
        int n = Math.min(batch, rows.rows() - first);
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows.slice(first, n)), m.shape(n));
            OrtSession.Result r = session.run(java.util.Map.of(input, x))) {
          FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
          if (y.remaining() != n * m.classes) {
            throw new IllegalStateException(model + ": " + y.remaining() + " output values for " + n + " rows,"
                + " expected " + m.classes + " per row");
          }
          y.get(out, first * m.classes, n * m.classes);
        }
      }
    }
    return out;
  }
}
