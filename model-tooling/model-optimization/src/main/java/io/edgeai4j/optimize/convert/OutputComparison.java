package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeai4j.inference.backend.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs two models (before and after a conversion) on the same seeded random inputs and answers the largest absolute
 * difference of each output: the check convert makes on what it writes. Float inputs are uniform in [-1, 1), integer
 * inputs 0; open dimensions are {@code rows}. Float16 inputs and outputs are compared as their float values.
 * Stateless, thread-safe.
 */
public final class OutputComparison {
  private OutputComparison() {}

  /**
   * The largest absolute difference per output name.
   *
   * @throws OrtException When ONNX Runtime cannot run either model (its message).
   * @throws IllegalArgumentException When the models' outputs differ in name or element count.
   */
  public static Map<String, Double> maxAbsDifference(OnnxMl.ModelProto before, OnnxMl.ModelProto after, int rows,
      long seed) throws OrtException {
    Map<String, float[]> a = run(before, rows, seed);
    Map<String, float[]> b = run(after, rows, seed);
    if (!a.keySet().equals(b.keySet())) {
      throw new IllegalArgumentException("the outputs differ: " + a.keySet() + " before, " + b.keySet() + " after");
    }
    Map<String, Double> differences = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> entry : a.entrySet()) {
      float[] x = entry.getValue();
      float[] y = b.get(entry.getKey());
      if (x.length != y.length) {
        throw new IllegalArgumentException("output '" + entry.getKey() + "' holds " + x.length + " values before and "
            + y.length + " after");
      }
      double max = 0;
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs((double) x[i] - y[i]));
      }
      differences.put(entry.getKey(), max);
    }
    return differences;
  }

  /** Runs a model on seeded inputs; answers each float/float16 output as floats. */
  public static Map<String, float[]> run(OnnxMl.ModelProto model, int rows, long seed) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    SplittableRandom random = new SplittableRandom(seed);
    List<OnnxTensor> inputs = new ArrayList<>();
    Map<String, float[]> outputs = new LinkedHashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(model.toByteArray(), options)) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
          TensorInfo info = (TensorInfo) input.getValue().getInfo();
          long[] shape = info.getShape().clone();
          long n = 1;
          for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? rows : shape[i];
            n *= shape[i];
          }
          ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(n * info.type.size))
              .order(ByteOrder.nativeOrder());
          for (long i = 0; i < n; i++) {
            float value = (float) (random.nextDouble() * 2 - 1);
            if (info.type == OnnxJavaType.FLOAT) {
              buffer.putFloat(value);
            } else if (info.type == OnnxJavaType.FLOAT16) {
              buffer.putShort(HalfFloats.floatToFloat16(value));
            }
          }
          buffer.rewind();
          OnnxTensor tensor = OnnxTensor.createTensor(environment, buffer, shape, info.type);
          inputs.add(tensor);
          feed.put(input.getKey(), tensor);
        }
        try (OrtSession.Result result = session.run(feed)) {
          for (Map.Entry<String, OnnxValue> entry : result) {
            OnnxTensor tensor = (OnnxTensor) entry.getValue();
            if (tensor.getInfo().type == OnnxJavaType.FLOAT) {
              ByteBuffer bytes = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
              float[] values = new float[bytes.remaining() / 4];
              bytes.asFloatBuffer().get(values);
              outputs.put(entry.getKey(), values);
            } else if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
              ByteBuffer bytes = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
              float[] values = new float[bytes.remaining() / 2];
              for (int i = 0; i < values.length; i++) {
                values[i] = HalfFloats.float16ToFloat(bytes.getShort());
              }
              outputs.put(entry.getKey(), values);
            }
          }
        }
      }
    } finally {
      inputs.forEach(OnnxTensor::close);
    }
    return outputs;
  }
}
