package io.edgeai4j.optimize.evaluate;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.optimize.data.DataTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model in an ONNX Runtime CPU session with 1 intra-op and 1 inter-op thread, sequential execution: feeds it rows
 * of a data set and returns its first output as doubles. Not thread-safe; close it.
 */
final class ModelRunner implements AutoCloseable {
  private final Path file;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final List<String> names = new ArrayList<>();
  private final List<TensorInfo> inputs = new ArrayList<>();
  private final String output;

  ModelRunner(Path file) throws EvaluationException {
    this.file = file;
    this.environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      session = environment.createSession(file.toString(), options);
      for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
        if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
          throw new EvaluationException(file + ": input '" + e.getKey() + "' is " + e.getValue().getInfo()
              + "; expected a tensor", null);
        }
        names.add(e.getKey());
        inputs.add(t);
      }
      output = session.getOutputNames().iterator().next();
    } catch (OrtException e) {
      throw new EvaluationException(file + ": ONNX Runtime refuses to load it: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  /**
   * Checks that a set's tensors fit the model's inputs: the same count, rank, fixed dimensions after the first, and a
   * compatible element type (a float type for a float input, an integer type for an integer input).
   */
  void check(Path set, List<DataTensor> tensors) throws EvaluationException {
    if (tensors.size() != inputs.size()) {
      throw new EvaluationException(set + " holds " + tensors.size() + " input file(s) (input_0.pb ...); model " + file
          + " takes " + inputs.size() + " input(s) " + names, null);
    }
    long rows = tensors.get(0).rows();
    for (int i = 0; i < inputs.size(); i++) {
      TensorInfo info = inputs.get(i);
      long[] expected = info.getShape();
      long[] found = tensors.get(i).shape();
      if (found.length == 0 || found[0] < 1) {
        throw new EvaluationException(set.resolve("input_" + i + ".pb") + " has shape " + Arrays.toString(found)
            + "; expected a first dimension of at least one row", null);
      }
      if (found[0] != rows) {
        throw new EvaluationException(set.resolve("input_" + i + ".pb") + " holds " + found[0] + " rows, input_0.pb "
            + rows + "; expected the same rows in every input of a set", null);
      }
      boolean fits = expected.length == found.length;
      for (int d = 1; fits && d < expected.length; d++) {
        fits = expected[d] < 0 || expected[d] == found[d];
      }
      if (!fits) {
        throw new EvaluationException(set.resolve("input_" + i + ".pb") + " has shape " + Arrays.toString(found)
            + "; model " + file + " input '" + names.get(i) + "' expects " + Arrays.toString(expected)
            + " (-1: any size)", null);
      }
      if (isFloat(info.type) != isFloat(tensors.get(i).elementType())) {
        throw new EvaluationException(set.resolve("input_" + i + ".pb") + " holds ONNX element type "
            + tensors.get(i).elementType() + "; model " + file + " input '" + names.get(i) + "' expects " + info.type,
            null);
      }
    }
  }

  /** The rows a run takes at once: the model's fixed first dimension, or all rows when it is open. */
  long batch(long rows) {
    long first = inputs.get(0).getShape()[0];
    return first > 0 ? first : rows;
  }

  /** The first output for rows {@code [from, from + count)} of the tensors, flattened. */
  double[] run(List<DataTensor> tensors, double[][] values, long from, long count) throws EvaluationException {
    Map<String, OnnxTensor> feed = feed(tensors, values, from, count);
    try (OrtSession.Result result = session.run(feed)) {
      return values(result.get(0));
    } catch (OrtException e) {
      throw new EvaluationException(file + ": ONNX Runtime failed on rows " + from + ".." + (from + count - 1)
          + ": " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** The values of each tensor, read once for every batch of a set. */
  static double[][] values(List<DataTensor> tensors) {
    return tensors.stream().map(DataTensor::values).toArray(double[][]::new);
  }

  /** Input tensors for rows {@code [from, from + count)} ({@code values}: {@link #values} of the tensors); the caller closes them. */
  Map<String, OnnxTensor> feed(List<DataTensor> tensors, double[][] values, long from, long count)
      throws EvaluationException {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        DataTensor t = tensors.get(i);
        long[] shape = t.shape();
        double[] all = values[i];
        int rowSize = (int) (all.length / Math.max(1, shape[0]));
        shape[0] = count;
        double[] v = Arrays.copyOfRange(all, (int) (from * rowSize), (int) ((from + count) * rowSize));
        feed.put(names.get(i), tensor(inputs.get(i).type, v, shape, names.get(i)));
      }
      return feed;
    } catch (OrtException | RuntimeException e) {
      feed.values().forEach(OnnxTensor::close);
      throw new EvaluationException(file + ": cannot make its input tensors: " + e.getMessage(), e);
    }
  }

  /** Runs a prepared feed and discards the result (for timing). */
  void time(Map<String, OnnxTensor> feed) throws EvaluationException {
    try (OrtSession.Result ignored = session.run(feed)) {
      // Only the time matters.
    } catch (OrtException e) {
      throw new EvaluationException(file + ": ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private OnnxTensor tensor(OnnxJavaType type, double[] v, long[] shape, String name) throws OrtException {
    return switch (type) {
      case FLOAT -> {
        FloatBuffer b = direct(v.length * 4).asFloatBuffer();
        for (double x : v) {
          b.put((float) x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape);
      }
      case DOUBLE -> {
        DoubleBuffer b = direct(v.length * 8).asDoubleBuffer();
        for (double x : v) {
          b.put(x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape);
      }
      case INT64 -> {
        LongBuffer b = direct(v.length * 8).asLongBuffer();
        for (double x : v) {
          b.put((long) x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape);
      }
      case INT32 -> {
        IntBuffer b = direct(v.length * 4).asIntBuffer();
        for (double x : v) {
          b.put((int) x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape);
      }
      case INT16 -> {
        ShortBuffer b = direct(v.length * 2).asShortBuffer();
        for (double x : v) {
          b.put((short) x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape);
      }
      case FLOAT16 -> {
        ByteBuffer b = direct(v.length * 2);
        for (double x : v) {
          b.putShort(HalfFloats.floatToFloat16((float) x));
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape, type);
      }
      case INT8, UINT8, BOOL -> {
        ByteBuffer b = direct(v.length);
        for (double x : v) {
          b.put((byte) (long) x);
        }
        yield OnnxTensor.createTensor(environment, b.flip(), shape, type);
      }
      default -> throw new IllegalArgumentException("input '" + name + "' is " + type + "; expected float32,"
          + " float16, float64, int8/16/32/64, uint8 or bool");
    };
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private double[] values(OnnxValue value) throws EvaluationException {
    if (!(value instanceof OnnxTensor t)) {
      throw new EvaluationException(file + ": output '" + output + "' is not a tensor; expected a float tensor", null);
    }
    OnnxJavaType type = t.getInfo().type;
    switch (type) {
      case FLOAT, FLOAT16, BFLOAT16 -> {
        FloatBuffer b = t.getFloatBuffer();
        double[] v = new double[b.remaining()];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.get();
        }
        return v;
      }
      case DOUBLE -> {
        DoubleBuffer b = t.getDoubleBuffer();
        double[] v = new double[b.remaining()];
        b.get(v);
        return v;
      }
      default -> throw new EvaluationException(file + ": output '" + output + "' is " + type
          + "; expected float32, float16 or float64 scores", null);
    }
  }

  private static boolean isFloat(OnnxJavaType type) {
    return type == OnnxJavaType.FLOAT || type == OnnxJavaType.DOUBLE || type == OnnxJavaType.FLOAT16
        || type == OnnxJavaType.BFLOAT16;
  }

  private static boolean isFloat(int onnxType) {
    return onnxType == 1 || onnxType == 11 || onnxType == 10 || onnxType == 16;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(file + ": closing the session failed", e);
    }
  }
}
