package io.edgeai4j.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.TrainingException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The DJL computation of each supported ONNX op: forward only, PyTorch's autograd gives the backward. {@link #check}
 * refuses, before any work starts, the attributes a kernel does not carry. Stateless, thread-safe.
 */
final class OpKernels {
  /** The ops a graph may hold to be trained. */
  static final Set<String> SUPPORTED = Set.of("Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu",
      "LeakyRelu", "Sigmoid", "Tanh", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape",
      "Concat", "Dropout", "Softmax", "LogSoftmax", "Identity", "Constant", "BatchNormalization");

  private OpKernels() {}

  /** Refuses a node whose op or attributes no kernel here carries, naming the node. */
  static void check(OnnxMl.NodeProto node, int opset) throws TrainingException {
    String op = node.getOpType();
    if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
      throw new TrainingException(describe(node) + ": domain '" + node.getDomain() + "' is not trainable here; "
          + "only ONNX's default domain");
    }
    if (!SUPPORTED.contains(op)) {
      throw new TrainingException(describe(node) + ": op " + op + " has no training kernel; supported: "
          + String.join(", ", SUPPORTED.stream().sorted().toList()));
    }
    switch (op) {
      case "Conv", "MaxPool", "AveragePool" -> {
        String autoPad = OnnxProtos.stringAttribute(node, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
          throw new TrainingException(describe(node) + ": auto_pad " + autoPad + " is not carried; use explicit pads");
        }
        long[] pads = OnnxProtos.intsAttribute(node, "pads", new long[0]);
        int half = pads.length / 2;
        for (int i = 0; i < half; i++) {
          if (pads[i] != pads[i + half]) {
            throw new TrainingException(describe(node) + ": asymmetric pads " + Arrays.toString(pads)
                + " are not carried; expected equal begin and end pads");
          }
        }
        if (op.equals("MaxPool")) {
          for (long d : OnnxProtos.intsAttribute(node, "dilations", new long[0])) {
            if (d != 1) {
              throw new TrainingException(describe(node) + ": MaxPool dilations other than 1 are not carried");
            }
          }
          if (node.getOutputCount() > 1) {
            throw new TrainingException(describe(node) + ": MaxPool's Indices output is not carried");
          }
        }
      }
      case "BatchNormalization" -> {
        if (node.getInputCount() != 5 || node.getInputList().stream().anyMatch(String::isEmpty)) {
          throw new TrainingException(describe(node) + ": " + node.getInputCount() + " inputs; BatchNormalization"
              + " takes 5 (X, scale, B, input_mean, input_var)");
        }
        if (node.getOutputCount() > 1) {
          throw new TrainingException(describe(node) + ": BatchNormalization's running mean and variance outputs are"
              + " not carried; the kernel updates the graph's own running statistics in training");
        }
      }
      case "Softmax", "LogSoftmax" -> {
        if (opset < 13 && OnnxProtos.intAttribute(node, "axis", 1) != -1) {
          // Before opset 13 the op flattens to 2-D at axis; equal to the per-axis form only on the last axis,
          // which forward() checks against the actual rank.
          return;
        }
      }
      default -> { }
    }
  }

  static String describe(OnnxMl.NodeProto node) {
    return "node '" + (node.getName().isEmpty() ? node.getOutput(0) : node.getName()) + "' (" + node.getOpType() + ")";
  }

  /**
   * Runs one node.
   *
   * @param inputs The node's inputs in order; {@code null} for an empty (absent optional) input name.
   * @param constants Resolves integer constants (Reshape's shape) by tensor name.
   */
  static NDList forward(OnnxMl.NodeProto node, List<NDArray> inputs, int opset, boolean training)
      throws TrainingException {
    NDArray x = inputs.get(0);
    return switch (node.getOpType()) {
      case "Conv" -> new NDList(conv(node, x, inputs.get(1), optional(inputs, 2)));
      case "Gemm" -> new NDList(gemm(node, x, inputs.get(1), optional(inputs, 2)));
      case "MatMul" -> new NDList(x.matMul(inputs.get(1)));
      case "Add" -> new NDList(x.add(inputs.get(1)));
      case "Sub" -> new NDList(x.sub(inputs.get(1)));
      case "Mul" -> new NDList(x.mul(inputs.get(1)));
      case "Div" -> new NDList(x.div(inputs.get(1)));
      case "Relu" -> new NDList(Activation.relu(x));
      case "LeakyRelu" -> new NDList(Activation.leakyRelu(x, OnnxProtos.floatAttribute(node, "alpha", 0.01f)));
      case "Sigmoid" -> new NDList(Activation.sigmoid(x));
      case "Tanh" -> new NDList(Activation.tanh(x));
      case "Clip" -> new NDList(clip(node, inputs, opset));
      case "MaxPool" -> new NDList(maxPool(node, x));
      case "AveragePool" -> new NDList(averagePool(node, x));
      case "GlobalAveragePool" -> new NDList(globalAveragePool(node, x));
      case "Flatten" -> new NDList(flatten(node, x));
      case "Concat" -> new NDList(NDArrays.concat(new NDList(inputs), axis(node, x.getShape().dimension(), 0)));
      case "Dropout" -> new NDList(training ? Dropout.dropout(x, dropoutRatio(node, inputs), true).head() : x);
      case "Softmax" -> new NDList(x.softmax(softmaxAxis(node, x, opset)));
      case "LogSoftmax" -> new NDList(x.logSoftmax(softmaxAxis(node, x, opset)));
      case "Identity" -> new NDList(x);
      case "BatchNormalization" -> throw new TrainingException(describe(node) + ": BatchNormalization runs through "
          + "batchNormalization(), which updates the running statistics");
      default -> throw new TrainingException(describe(node) + ": op " + node.getOpType() + " has no training kernel");
    };
  }

  /**
   * BatchNormalization over axis 1. Inference: the running mean and variance. Training: the batch's mean and biased
   * variance (as ONNX's training mode), and the running statistics returned updated as
   * {@code running * momentum + batch * (1 - momentum)} (gradients stopped).
   *
   * @return The output, then the new running mean and variance (both {@code null} in inference).
   */
  static NDArray[] batchNormalization(OnnxMl.NodeProto node, List<NDArray> inputs, boolean training) {
    NDArray x = inputs.get(0);
    NDArray scale = inputs.get(1);
    NDArray bias = inputs.get(2);
    NDArray mean = inputs.get(3);
    NDArray var = inputs.get(4);
    float epsilon = OnnxProtos.floatAttribute(node, "epsilon", 1e-5f);
    float momentum = OnnxProtos.floatAttribute(node, "momentum", 0.9f);
    int rank = x.getShape().dimension();
    long channels = x.getShape().get(1);
    long[] b = new long[rank];
    Arrays.fill(b, 1);
    b[1] = channels;
    Shape broadcast = new Shape(b);
    NDArray newMean = null;
    NDArray newVar = null;
    NDArray useMean = mean;
    NDArray useVar = var;
    if (training) {
      // Per channel over every other axis: [C, N * spatial].
      int[] axes = new int[rank];
      axes[0] = 1;
      axes[1] = 0;
      for (int i = 2; i < rank; i++) {
        axes[i] = i;
      }
      NDArray perChannel = x.transpose(axes).reshape(channels, -1);
      useMean = perChannel.mean(new int[] {1});
      useVar = perChannel.sub(useMean.reshape(channels, 1)).square().mean(new int[] {1});
      newMean = mean.mul(momentum).add(useMean.stopGradient().mul(1 - momentum));
      newVar = var.mul(momentum).add(useVar.stopGradient().mul(1 - momentum));
    }
    NDArray y = x.sub(useMean.reshape(broadcast)).div(useVar.add(epsilon).sqrt().reshape(broadcast))
        .mul(scale.reshape(broadcast)).add(bias.reshape(broadcast));
    return new NDArray[] {y, newMean, newVar};
  }

  private static NDArray optional(List<NDArray> inputs, int i) {
    return inputs.size() > i ? inputs.get(i) : null;
  }

  private static NDArray conv(OnnxMl.NodeProto node, NDArray x, NDArray w, NDArray b) throws TrainingException {
    int spatial = (int) w.getShape().dimension() - 2;
    Shape stride = spatialShape(node, "strides", spatial, 1);
    Shape dilation = spatialShape(node, "dilations", spatial, 1);
    Shape padding = beginPads(node, spatial);
    int groups = (int) OnnxProtos.intAttribute(node, "group", 1);
    return switch (spatial) {
      case 1 -> Conv1d.conv1d(x, w, b, stride, padding, dilation, groups).head();
      case 2 -> Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).head();
      default -> throw new TrainingException(describe(node) + ": " + spatial + "-D convolution is not carried; "
          + "expected 1-D or 2-D");
    };
  }

  private static NDArray gemm(OnnxMl.NodeProto node, NDArray a, NDArray b, NDArray c) {
    if (OnnxProtos.intAttribute(node, "transA", 0) != 0) {
      a = a.transpose();
    }
    float alpha = OnnxProtos.floatAttribute(node, "alpha", 1f);
    float beta = OnnxProtos.floatAttribute(node, "beta", 1f);
    boolean transB = OnnxProtos.intAttribute(node, "transB", 0) != 0;
    if (alpha == 1f && transB && (c == null || beta == 1f && c.getShape().dimension() == 1)) {
      // y = a b^T + c: PyTorch's fused linear.
      return c == null ? Linear.linear(a, b).head() : Linear.linear(a, b, c).head();
    }
    NDArray y = a.matMul(transB ? b.transpose() : b);
    if (alpha != 1f) {
      y = y.mul(alpha);
    }
    if (c != null) {
      y = y.add(beta == 1f ? c : c.mul(beta));
    }
    return y;
  }

  private static NDArray clip(OnnxMl.NodeProto node, List<NDArray> inputs, int opset) {
    float min;
    float max;
    if (opset < 11) {
      min = OnnxProtos.floatAttribute(node, "min", -Float.MAX_VALUE);
      max = OnnxProtos.floatAttribute(node, "max", Float.MAX_VALUE);
    } else {
      NDArray lo = optional(inputs, 1);
      NDArray hi = optional(inputs, 2);
      min = lo == null ? -Float.MAX_VALUE : lo.getFloat();
      max = hi == null ? Float.MAX_VALUE : hi.getFloat();
    }
    return inputs.get(0).clip(min, max);
  }

  private static NDArray maxPool(OnnxMl.NodeProto node, NDArray x) throws TrainingException {
    int spatial = (int) x.getShape().dimension() - 2;
    Shape kernel = kernel(node, spatial);
    Shape stride = spatialShape(node, "strides", spatial, 1);
    Shape padding = beginPads(node, spatial);
    boolean ceil = OnnxProtos.intAttribute(node, "ceil_mode", 0) != 0;
    return switch (spatial) {
      case 1 -> Pool.maxPool1d(x, kernel, stride, padding, ceil);
      case 2 -> Pool.maxPool2d(x, kernel, stride, padding, ceil);
      default -> throw new TrainingException(describe(node) + ": " + spatial + "-D pooling is not carried");
    };
  }

  private static NDArray averagePool(OnnxMl.NodeProto node, NDArray x) throws TrainingException {
    int spatial = (int) x.getShape().dimension() - 2;
    Shape kernel = kernel(node, spatial);
    Shape stride = spatialShape(node, "strides", spatial, 1);
    Shape padding = beginPads(node, spatial);
    boolean ceil = OnnxProtos.intAttribute(node, "ceil_mode", 0) != 0;
    boolean countPads = OnnxProtos.intAttribute(node, "count_include_pad", 0) != 0;
    NDArray sum = averageIncludingPads(node, x, spatial, kernel, stride, padding, ceil);
    boolean padded = padding.getShape().length > 0 && java.util.stream.LongStream.of(padding.getShape())
        .anyMatch(p -> p != 0);
    if (countPads || !padded) {
      return sum;
    }
    // Without the pads in the count: divide by the share of each window that is inside the input (PyTorch's own
    // count_include_pad=false is not honoured through DJL, so it is computed here, differentiably).
    return sum.div(averageIncludingPads(node, x.onesLike(), spatial, kernel, stride, padding, ceil));
  }

  private static NDArray averageIncludingPads(OnnxMl.NodeProto node, NDArray x, int spatial, Shape kernel,
      Shape stride, Shape padding, boolean ceil) throws TrainingException {
    return switch (spatial) {
      case 1 -> Pool.avgPool1d(x, kernel, stride, padding, ceil, true);
      case 2 -> Pool.avgPool2d(x, kernel, stride, padding, ceil, true);
      default -> throw new TrainingException(describe(node) + ": " + spatial + "-D pooling is not carried");
    };
  }

  private static NDArray globalAveragePool(OnnxMl.NodeProto node, NDArray x) throws TrainingException {
    int rank = x.getShape().dimension();
    if (rank < 3) {
      throw new TrainingException(describe(node) + ": input of rank " + rank + ", expected [N, C, spatial...]");
    }
    // PyTorch's mean through DJL takes one axis: average the spatial dimensions flattened into one.
    Shape s = x.getShape();
    long[] pooled = new long[rank];
    pooled[0] = s.get(0);
    pooled[1] = s.get(1);
    java.util.Arrays.fill(pooled, 2, rank, 1);
    return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}).reshape(new Shape(pooled));
  }

  private static NDArray flatten(OnnxMl.NodeProto node, NDArray x) {
    Shape s = x.getShape();
    int axis = axis(node, s.dimension(), 1);
    long outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s.get(i);
    }
    return x.reshape(outer, s.size() / Math.max(outer, 1));
  }

  private static float dropoutRatio(OnnxMl.NodeProto node, List<NDArray> inputs) {
    NDArray ratio = optional(inputs, 1);
    return ratio != null ? ratio.getFloat() : OnnxProtos.floatAttribute(node, "ratio", 0.5f);
  }

  private static int softmaxAxis(OnnxMl.NodeProto node, NDArray x, int opset) throws TrainingException {
    int rank = x.getShape().dimension();
    int axis = axis(node, rank, opset < 13 ? 1 : -1);
    if (opset < 13 && axis != rank - 1) {
      throw new TrainingException(describe(node) + ": before opset 13 " + node.getOpType() + " at axis " + axis
          + " flattens a rank-" + rank + " input to 2-D; only the last axis is carried");
    }
    return axis;
  }

  private static int axis(OnnxMl.NodeProto node, int rank, int otherwise) {
    int axis = (int) OnnxProtos.intAttribute(node, "axis", otherwise);
    return axis < 0 ? axis + rank : axis;
  }

  private static Shape kernel(OnnxMl.NodeProto node, int spatial) throws TrainingException {
    long[] k = OnnxProtos.intsAttribute(node, "kernel_shape", null);
    if (k == null || k.length != spatial) {
      throw new TrainingException(describe(node) + ": kernel_shape " + (k == null ? "missing" : Arrays.toString(k))
          + ", expected " + spatial + " values");
    }
    return new Shape(k);
  }

  private static Shape spatialShape(OnnxMl.NodeProto node, String name, int spatial, long otherwise) {
    long[] v = OnnxProtos.intsAttribute(node, name, null);
    if (v == null) {
      v = new long[spatial];
      Arrays.fill(v, otherwise);
    }
    return new Shape(v);
  }

  private static Shape beginPads(OnnxMl.NodeProto node, int spatial) {
    long[] pads = OnnxProtos.intsAttribute(node, "pads", null);
    return new Shape(pads == null ? new long[spatial] : Arrays.copyOf(pads, spatial));
  }
}
