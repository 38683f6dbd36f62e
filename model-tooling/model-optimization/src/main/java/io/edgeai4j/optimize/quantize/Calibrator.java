package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.io.PrintWriter;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the real range of chosen tensors of a model by running it in ONNX Runtime on calibration data: a copy of the
 * model with those tensors added as graph outputs runs on each {@code test_data_set_<n>} in turn, and only each
 * tensor's statistic is kept between sets (calibration data larger than memory works). Writes a progress bar to the
 * given stream. One calibration per call; thread-safe (no shared state).
 */
public final class Calibrator {
  private static final int BAR = 30;

  private Calibrator() {}

  /**
   * @param tensors Float tensors of the model (graph inputs or node outputs) whose ranges are wanted.
   * @param progress Where the progress bar goes (the CLI passes stderr); null for none.
   * @return Each tensor's range, in the order asked.
   * @throws QuantizationException When a set does not fit the model's inputs, or ONNX Runtime fails on it.
   */
  public static Map<String, TensorRange> calibrate(OnnxMl.ModelProto model, List<String> tensors, TestDataSets data,
      CalibrationMethod method, PrintWriter progress) throws QuantizationException {
    OnnxMl.GraphProto graph = model.getGraph();
    Set<String> outputs = new HashSet<>();
    graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    OnnxMl.GraphProto.Builder augmented = graph.toBuilder();
    for (String name : tensors) {
      if (!outputs.contains(name)) {
        augmented.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
      }
    }
    List<OnnxMl.ValueInfoProto> inputs = GraphInputs.of(graph);
    Map<String, RangeCollector> collectors = new LinkedHashMap<>();
    tensors.forEach(t -> collectors.put(t, method.collector()));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] bytes = model.toBuilder().setGraph(augmented).build().toByteArray();
    int done = 0;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // Observe the tensors of the graph as written, not of a graph ONNX Runtime has fused.
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = env.createSession(bytes, options)) {
        for (var it = data.iterator(); it.hasNext();) {
          TestDataSets.DataSet set = next(it);
          Map<String, OnnxTensor> feed = feed(env, inputs, set);
          try (OrtSession.Result result = session.run(feed, new HashSet<>(tensors))) {
            for (String name : tensors) {
              OnnxValue value = result.get(name).orElseThrow();
              FloatBuffer b = ((OnnxTensor) value).getFloatBuffer();
              float[] values = new float[b.remaining()];
              b.get(values);
              collectors.get(name).add(values);
            }
          } finally {
            feed.values().forEach(OnnxTensor::close);
          }
          done++;
          bar(progress, done, data.size(), method);
        }
      }
    } catch (OrtException e) {
      throw new QuantizationException("ONNX Runtime failed on calibration set " + (done + 1) + " of " + data.size()
          + " in " + data.root() + ": " + e.getMessage(), e);
    }
    if (progress != null) {
      progress.println();
      progress.flush();
    }
    Map<String, TensorRange> ranges = new LinkedHashMap<>();
    collectors.forEach((name, c) -> ranges.put(name, c.range()));
    return ranges;
  }

  private static TestDataSets.DataSet next(java.util.Iterator<TestDataSets.DataSet> it) throws QuantizationException {
    try {
      return it.next();
    } catch (TestDataSets.DataSetUncheckedException e) {
      DataSetException cause = e.getCause();
      throw new QuantizationException("calibration data: " + cause.getMessage(), cause);
    }
  }

  private static void bar(PrintWriter progress, int done, int total, CalibrationMethod method) {
    if (progress == null) {
      return;
    }
    int filled = total == 0 ? BAR : done * BAR / total;
    progress.print("\rcalibrating (" + method.name().toLowerCase(java.util.Locale.ROOT) + ") ["
        + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + done + "/" + total + " sets");
    progress.flush();
  }

  private static Map<String, OnnxTensor> feed(OrtEnvironment env, List<OnnxMl.ValueInfoProto> inputs,
      TestDataSets.DataSet set) throws QuantizationException, OrtException {
    if (set.inputs().size() != inputs.size()) {
      throw new QuantizationException(set.directory() + ": holds " + set.inputs().size() + " input(s); expected "
          + inputs.size() + " (the model's inputs " + inputs.stream().map(OnnxMl.ValueInfoProto::getName).toList()
          + ")");
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        OnnxMl.ValueInfoProto input = inputs.get(i);
        DataTensor t = set.inputs().get(i);
        feed.put(input.getName(), tensor(env, input, t, set));
      }
    } catch (QuantizationException | OrtException e) {
      feed.values().forEach(OnnxTensor::close);
      throw e;
    }
    return feed;
  }

  private static OnnxTensor tensor(OrtEnvironment env, OnnxMl.ValueInfoProto input, DataTensor t,
      TestDataSets.DataSet set) throws QuantizationException, OrtException {
    double[] v = t.values();
    long[] shape = t.shape();
    int type = input.getType().getTensorType().getElemType();
    OnnxMl.TensorProto.DataType dataType = OnnxMl.TensorProto.DataType.forNumber(type);
    if (dataType == null) {
      dataType = OnnxMl.TensorProto.DataType.UNDEFINED;
    }
    return switch (dataType) {
      case FLOAT -> {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          f[i] = (float) v[i];
        }
        yield OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
      }
      case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), shape);
      case INT64 -> {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
          l[i] = (long) v[i];
        }
        yield OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
      }
      case INT32 -> {
        int[] n = new int[v.length];
        for (int i = 0; i < v.length; i++) {
          n[i] = (int) v[i];
        }
        yield OnnxTensor.createTensor(env, IntBuffer.wrap(n), shape);
      }
      default -> throw new QuantizationException(set.directory() + ": the model's input '"
          + input.getName() + "' has element type " + type + "; calibration feeds float32, float64, int64 or int32");
    };
  }

  /** The graph inputs that are not initializers, in order. */
  static final class GraphInputs {
    private GraphInputs() {}

    static List<OnnxMl.ValueInfoProto> of(OnnxMl.GraphProto graph) {
      Set<String> initializers = new HashSet<>();
      graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
      List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
      for (OnnxMl.ValueInfoProto i : graph.getInputList()) {
        if (!initializers.contains(i.getName())) {
          inputs.add(i);
        }
      }
      return inputs;
    }
  }
}
