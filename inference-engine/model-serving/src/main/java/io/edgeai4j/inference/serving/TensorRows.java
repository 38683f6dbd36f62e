package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks requests against a model's inputs, stacks them along the batch dimension and splits outputs back. */
final class TensorRows {
  private TensorRows() {}

  /**
   * Checks one request's inputs.
   *
   * @param specs The model's declared inputs.
   * @param batchable Whether every input has an open batch dimension.
   * @param maxBatchSize The most rows one run may hold.
   * @return The request's rows (1 when not batchable).
   * @throws InferenceFailure BAD_INPUT naming the tensor, what was found and what was expected.
   */
  static int validate(Map<String, Tensor> inputs, List<TensorSpec> specs, boolean batchable, int maxBatchSize)
      throws InferenceFailure {
    for (String name : inputs.keySet()) {
      if (!declares(specs, name)) {
        throw bad("unknown input '" + name + "'; the model's inputs are " + specs);
      }
    }
    int rows = -1;
    for (TensorSpec spec : specs) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        throw bad("input '" + spec.name() + "' is missing; the model's inputs are " + specs);
      }
      String mismatch = spec.mismatch(t);
      if (mismatch != null) {
        throw bad(mismatch);
      }
      if (batchable) {
        long r = t.shape()[0];
        if (r < 1) {
          throw bad("input '" + spec.name() + "' has " + r + " rows, expected at least 1");
        }
        if (rows != -1 && r != rows) {
          throw bad("inputs disagree on the batch: '" + spec.name() + "' has " + r + " rows, another input " + rows);
        }
        rows = (int) Math.min(r, Integer.MAX_VALUE);
      }
    }
    if (!batchable) {
      return 1;
    }
    if (rows > maxBatchSize) {
      throw bad("the request holds " + rows + " rows, more than batching.maxBatchSize " + maxBatchSize);
    }
    return rows;
  }

  /** A loop, not a stream: this runs for every request. */
  private static boolean declares(List<TensorSpec> specs, String name) {
    for (TensorSpec spec : specs) {
      if (spec.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static InferenceFailure bad(String message) {
    return new InferenceFailure(FailureKind.BAD_INPUT, message, null);
  }

  /** Whether two requests' inputs can share a batch (same shapes past the batch dimension). */
  static boolean stackable(Map<String, Tensor> a, Map<String, Tensor> b) {
    for (Map.Entry<String, Tensor> e : a.entrySet()) {
      long[] x = e.getValue().shape();
      long[] y = b.get(e.getKey()).shape();
      if (!Arrays.equals(x, 1, x.length, y, 1, y.length)) {
        return false;
      }
    }
    return true;
  }

  /** Stacks the requests' inputs along dimension 0 (one copy); a single request is returned as it is. */
  static Map<String, Tensor> stack(List<Map<String, Tensor>> requests, int totalRows) {
    if (requests.size() == 1) {
      return requests.get(0);
    }
    Map<String, Tensor> stacked = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : requests.get(0).entrySet()) {
      Tensor first = e.getValue();
      long bytes = 0;
      for (Map<String, Tensor> r : requests) {
        bytes += r.get(e.getKey()).data().remaining();
      }
      ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
      for (Map<String, Tensor> r : requests) {
        data.put(r.get(e.getKey()).data());
      }
      data.flip();
      long[] shape = first.shape();
      shape[0] = totalRows;
      stacked.put(e.getKey(), Tensor.wrap(e.getKey(), first.type(), shape, data));
    }
    return stacked;
  }

  /**
   * Takes rows {@code [from, from + rows)} of every output (views, no copy).
   *
   * @throws IllegalStateException If an output's first dimension is not the batch's rows.
   */
  static Map<String, Tensor> slice(Map<String, Tensor> outputs, int totalRows, int from, int rows) {
    if (outputs.size() == 1) {
      // The usual case (one output): an immutable map that InferenceResult keeps without copying it again.
      Map.Entry<String, Tensor> only = outputs.entrySet().iterator().next();
      return Map.of(only.getKey(), sliceOne(only.getKey(), only.getValue(), totalRows, from, rows));
    }
    Map<String, Tensor> sliced = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
      sliced.put(e.getKey(), sliceOne(e.getKey(), e.getValue(), totalRows, from, rows));
    }
    return sliced;
  }

  private static Tensor sliceOne(String name, Tensor t, int totalRows, int from, int rows) {
    long[] shape = t.shape();
    if (shape.length == 0 || shape[0] != totalRows) {
      throw new IllegalStateException("output '" + name + "' has shape " + Arrays.toString(shape)
          + ", expected its first dimension to be the batch's " + totalRows + " rows");
    }
    ByteBuffer data = t.data();
    int rowBytes = data.remaining() / totalRows;
    data.position(from * rowBytes).limit((from + rows) * rowBytes);
    shape[0] = rows;
    return Tensor.wrap(name, t.type(), shape, data);
  }

  /** Zero-filled inputs of one row (every open dimension 1), for warm-up. */
  static Map<String, Tensor> zeros(List<TensorSpec> specs) {
    Map<String, Tensor> zeros = new LinkedHashMap<>();
    for (TensorSpec spec : specs) {
      long[] shape = spec.shape();
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] == -1 ? 1 : shape[i];
      }
      int bytes = Math.toIntExact(Tensor.elementCount(shape) * spec.type().bytes());
      zeros.put(spec.name(), Tensor.wrap(spec.name(), spec.type(), shape,
          ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder())));
    }
    return zeros;
  }
}
