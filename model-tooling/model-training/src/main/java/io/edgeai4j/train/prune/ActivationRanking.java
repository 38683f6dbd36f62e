package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks channels by what they do on calibration data, over every row and position of each layer's output: the mean
 * |activation| ({@link Statistic#MEAN_ABSOLUTE}), or the share of positions where the channel is not zero after a
 * ReLU ({@link Statistic#NONZERO_AFTER_RELU}: the fraction of outputs above 0, i.e. one minus the fraction of zeros a
 * following ReLU makes; a channel a ReLU silences most of the time ranks low). The model, with those outputs added as graph outputs, runs in ONNX Runtime (no graph
 * optimization, so the tensors are the graph's own) on each {@code test_data_set_<n>} of the directory. One ranking
 * per call; thread-safe.
 */
public final class ActivationRanking {
  /** What a channel's score is; higher is kept. */
  public enum Statistic {
    /** Mean |activation|. */
    MEAN_ABSOLUTE,
    /** Fraction of positions above 0 (not zeroed by a ReLU). */
    NONZERO_AFTER_RELU
  }

  private ActivationRanking() {}

  /** {@link #rank} by {@link Statistic#MEAN_ABSOLUTE}. */
  public static Map<String, double[]> meanAbsolute(OnnxMl.ModelProto model, Set<String> layers, TestDataSets data,
      PrintWriter progress) throws PruningException {
    return rank(model, layers, data, Statistic.MEAN_ABSOLUTE, progress);
  }

  /**
   * @param layers Output tensors ({@link StructuredPruning#candidates}) to rank, each [N, C, ...].
   * @param progress A line per 10 sets and at the end; null for none.
   * @return Each tensor's score per channel, by {@code statistic}.
   * @throws PruningException When the data does not fit the model's float inputs, or ONNX Runtime fails.
   */
  public static Map<String, double[]> rank(OnnxMl.ModelProto model, Set<String> layers, TestDataSets data,
      Statistic statistic, PrintWriter progress) throws PruningException {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    Set<String> outputs = new HashSet<>();
    g.getOutputList().forEach(o -> outputs.add(o.getName()));
    for (String name : layers) {
      if (!outputs.contains(name)) {
        g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
      }
    }
    Set<String> initializers = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<String> inputs = new ArrayList<>();
    model.getGraph().getInputList().forEach(i -> {
      if (!initializers.contains(i.getName())) {
        inputs.add(i.getName());
      }
    });
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, Long> counts = new HashMap<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int done = 0;
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = env.createSession(model.toBuilder().setGraph(g).build().toByteArray(), o)) {
        for (TestDataSets.DataSet set : data) {
          if (set.inputs().size() != inputs.size()) {
            throw new PruningException(set.directory() + ": holds " + set.inputs().size() + " input(s); expected "
                + inputs.size() + " (the model's inputs " + inputs + ")");
          }
          Map<String, OnnxTensor> feed = new HashMap<>();
          try {
            for (int i = 0; i < inputs.size(); i++) {
              DataTensor t = set.inputs().get(i);
              double[] v = t.values();
              float[] f = new float[v.length];
              for (int k = 0; k < v.length; k++) {
                f[k] = (float) v[k];
              }
              feed.put(inputs.get(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(f), t.shape()));
            }
            try (OrtSession.Result r = session.run(feed, layers)) {
              for (String name : layers) {
                OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                long[] shape = t.getInfo().getShape();
                FloatBuffer b = t.getFloatBuffer();
                int channels = (int) shape[1];
                int inner = (int) (b.remaining() / (shape[0] * channels));
                double[] s = sums.computeIfAbsent(name, k -> new double[channels]);
                for (int k = 0; b.hasRemaining(); k++) {
                  float v = b.get();
                  s[(k / inner) % channels] += statistic == Statistic.MEAN_ABSOLUTE ? Math.abs(v) : v > 0 ? 1 : 0;
                }
                counts.merge(name, shape[0] * inner, Long::sum);
              }
            }
          } finally {
            feed.values().forEach(OnnxTensor::close);
          }
          done++;
          if (progress != null && (done % 10 == 0 || done == data.size())) {
            progress.println("ranking activations: " + done + "/" + data.size() + " sets");
            progress.flush();
          }
        }
      }
    } catch (OrtException e) {
      throw new PruningException("ONNX Runtime failed on calibration set " + (done + 1) + " of " + data.size()
          + " in " + data.root() + ": " + e.getMessage(), e);
    } catch (TestDataSets.DataSetUncheckedException e) {
      DataSetException cause = e.getCause();
      throw new PruningException("calibration data: " + cause.getMessage(), cause);
    }
    Map<String, double[]> means = new LinkedHashMap<>();
    sums.forEach((name, s) -> {
      double[] m = s.clone();
      for (int c = 0; c < m.length; c++) {
        m[c] /= counts.get(name);
      }
      means.put(name, m);
    });
    return means;
  }
}
