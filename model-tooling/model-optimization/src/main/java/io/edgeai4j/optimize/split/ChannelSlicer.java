package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one Conv (group 1) or Gemm into {@code k} nodes computing even slices of its output channels (weights and
 * bias sliced, slice {@code j} writing {@code <output>_slice<j>}, or that name with {@code _2}, {@code _3}, ... when
 * the model already has it) and a Concat on axis 1 writing the layer's own output.
 * Stateless.
 */
final class ChannelSlicer {
  /** The rewrite of one layer: its slice nodes, their initializers, the Concat, and the channel ranges. */
  record Sliced(List<OnnxMl.NodeProto> slices, List<OnnxMl.TensorProto> initializers, OnnxMl.NodeProto concat,
      List<int[]> ranges) {}

  private ChannelSlicer() {}

  /** The output channels of a Conv or Gemm whose weight is an initializer. */
  static int channels(OnnxMl.NodeProto layer, String label, Map<String, OnnxMl.TensorProto> initializers)
      throws SplitException {
    OnnxMl.TensorProto w = weight(layer, label, initializers);
    long[] dims = OnnxProtos.dims(w);
    if (layer.getOpType().equals("Conv")) {
      return Math.toIntExact(dims[0]);
    }
    boolean transB = OnnxProtos.intAttribute(layer, "transB", 0) != 0;
    return Math.toIntExact(transB ? dims[0] : dims[1]);
  }

  /** Slices {@code layer} into {@code k} parts as even as possible (the first {@code channels % k} one larger). */
  static Sliced slice(OnnxMl.NodeProto layer, String label, int k, Map<String, OnnxMl.TensorProto> initializers,
      UniqueNames names) throws SplitException {
    boolean conv = layer.getOpType().equals("Conv");
    OnnxMl.TensorProto w = weight(layer, label, initializers);
    float[] weights = floats(w, label, "weight");
    long[] dims = OnnxProtos.dims(w);
    boolean transB = !conv && OnnxProtos.intAttribute(layer, "transB", 0) != 0;
    int channels = channels(layer, label, initializers);
    OnnxMl.TensorProto bias = null;
    float[] biases = null;
    if (layer.getInputCount() > 2 && !layer.getInput(2).isEmpty()) {
      bias = initializers.get(layer.getInput(2));
      if (bias == null) {
        throw new SplitException("layer " + label + ": its bias '" + layer.getInput(2) + "' is not an initializer;"
            + " a vertical split slices constant weights and biases");
      }
      long[] b = OnnxProtos.dims(bias);
      long elements = Arrays.stream(b).reduce(1, (x, y) -> x * y);
      if (elements == channels && (b.length == 1 || b.length == 2 && b[0] == 1)) {
        biases = floats(bias, label, "bias");
      } else if (elements != 1) {
        throw new SplitException("layer " + label + ": its bias '" + bias.getName() + "' has shape "
            + Arrays.toString(b) + "; expected [" + channels + "], [1, " + channels + "] or one value");
      }
    }
    String output = layer.getOutput(0);
    String base = layer.getName().isEmpty() ? output : layer.getName();
    List<OnnxMl.NodeProto> slices = new ArrayList<>();
    List<OnnxMl.TensorProto> added = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    OnnxMl.NodeProto.Builder concat = OnnxMl.NodeProto.newBuilder().setOpType("Concat").setName(names.fresh(base + "_concat"))
        .addOutput(output).addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1));
    int start = 0;
    for (int j = 0; j < k; j++) {
      int size = channels / k + (j < channels % k ? 1 : 0);
      int end = start + size;
      ranges.add(new int[] {start, end});
      String wName = names.fresh(base + "_W_slice" + j);
      String sliceOutput = names.fresh(output + "_slice" + j);
      added.add(OnnxProtos.floatTensor(wName, sliceDims(dims, conv || transB ? 0 : 1, size),
          conv || transB ? rows(weights, dims, start, end) : columns(weights, dims, start, end)));
      OnnxMl.NodeProto.Builder node = layer.toBuilder().setName(names.fresh(base + "_slice" + j))
          .clearInput().clearOutput().addInput(layer.getInput(0)).addInput(wName).addOutput(sliceOutput);
      if (bias != null) {
        if (biases != null) {
          String bName = names.fresh(base + "_B_slice" + j);
          long[] bDims = OnnxProtos.dims(bias);
          added.add(OnnxProtos.floatTensor(bName, sliceDims(bDims, bDims.length - 1, size),
              Arrays.copyOfRange(biases, start, end)));
          node.addInput(bName);
        } else {
          node.addInput(bias.getName());
        }
      }
      slices.add(node.build());
      concat.addInput(sliceOutput);
      start = end;
    }
    return new Sliced(slices, added, concat.build(), ranges);
  }

  private static OnnxMl.TensorProto weight(OnnxMl.NodeProto layer, String label,
      Map<String, OnnxMl.TensorProto> initializers) throws SplitException {
    if (layer.getInputCount() < 2) {
      throw new SplitException("layer " + label + " has no weight input");
    }
    OnnxMl.TensorProto w = initializers.get(layer.getInput(1));
    if (w == null) {
      throw new SplitException("layer " + label + ": its weight '" + layer.getInput(1) + "' is not an initializer;"
          + " a vertical split slices constant weights");
    }
    return w;
  }

  private static float[] floats(OnnxMl.TensorProto t, String label, String what) throws SplitException {
    try {
      return OnnxProtos.floatValues(t);
    } catch (IllegalArgumentException e) {
      throw new SplitException("layer " + label + ": its " + what + " cannot be sliced: " + e.getMessage(), e);
    }
  }

  private static long[] sliceDims(long[] dims, int axis, int size) {
    long[] d = dims.clone();
    d[axis] = size;
    return d;
  }

  /** Rows {@code [start, end)} of the first axis. */
  private static float[] rows(float[] values, long[] dims, int start, int end) {
    int row = Math.toIntExact(values.length / dims[0]);
    return Arrays.copyOfRange(values, start * row, end * row);
  }

  /** Columns {@code [start, end)} of a 2-D matrix. */
  private static float[] columns(float[] values, long[] dims, int start, int end) {
    int rows = Math.toIntExact(dims[0]);
    int cols = Math.toIntExact(dims[1]);
    float[] out = new float[rows * (end - start)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, r * cols + start, out, r * (end - start), end - start);
    }
    return out;
  }
}
