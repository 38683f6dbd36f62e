package io.edgeai4j.inference.testing;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes small, real ONNX models for tests (built with the ONNX protobuf classes, run by ONNX Runtime):
 * {@code y = softmax?(x W + b)} with input {@code x: float32[batch, in]} and output {@code y: float32[batch, out]},
 * the batch dimension open. Stateless.
 */
public final class OnnxTestModels {
  /** The input's name. */
  public static final String INPUT = "x";
  /** The output's name. */
  public static final String OUTPUT = "y";

  private OnnxTestModels() {}

  /**
   * Writes {@code y = x W + b}.
   *
   * @param file Where to write {@code model.onnx}.
   * @param weights {@code in x out}, row-major.
   * @param bias {@code out} values.
   * @param softmax Whether to apply softmax over the last dimension.
   * @return {@code file}.
   */
  public static Path linear(Path file, int in, int out, float[] weights, float[] bias, boolean softmax)
      throws IOException {
    if (weights.length != in * out || bias.length != out) {
      throw new IllegalArgumentException("weights must hold in*out = " + in * out + " values and bias " + out
          + ", found " + weights.length + " and " + bias.length);
    }
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("linear")
        .addInput(valueInfo(INPUT, "batch", in))
        .addOutput(valueInfo(OUTPUT, "batch", out))
        .addInitializer(tensor("W", new long[] {in, out}, weights))
        .addInitializer(tensor("B", new long[] {out}, bias))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput(INPUT).addInput("W").addOutput("xw"))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("xw").addInput("B")
            .addOutput(softmax ? "logits" : OUTPUT));
    if (softmax) {
      graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Softmax").addInput("logits").addOutput(OUTPUT)
          .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(-1)
              .setType(OnnxMl.AttributeProto.AttributeType.INT)));
    }
    return write(file, graph);
  }

  private static Path write(Path file, OnnxMl.GraphProto.Builder graph) throws IOException {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
    return file;
  }

  /** {@code y = x W + b} with seeded random weights in [-1, 1) (a bigger {@code in x out} takes longer to run). */
  public static Path random(Path file, int in, int out, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    float[] weights = new float[in * out];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextDouble() * 2 - 1);
    }
    float[] bias = new float[out];
    for (int i = 0; i < out; i++) {
      bias[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return linear(file, in, out, weights, bias, false);
  }

  /**
   * Writes a multi-layer perceptron: dense layers of the given widths with seeded random weights (scaled by
   * {@code 1/sqrt(fan-in)} so values stay bounded), ReLU between layers, none after the last. With two widths it is
   * the single layer {@link #random} writes. A small model of many operators, the shape of the classifiers and
   * autoencoders run on feature vectors at the edge.
   *
   * @param widths The input width, the hidden widths, then the output width (at least two).
   */
  public static Path mlp(Path file, int[] widths, long seed) throws IOException {
    if (widths.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least an input and an output width, found "
          + widths.length + " width(s)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("mlp")
        .addInput(valueInfo(INPUT, "batch", widths[0]))
        .addOutput(valueInfo(OUTPUT, "batch", widths[widths.length - 1]));
    String previous = INPUT;
    for (int layer = 0; layer + 1 < widths.length; layer++) {
      int in = widths[layer];
      int out = widths[layer + 1];
      double range = 1 / Math.sqrt(in);
      float[] weights = new float[in * out];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) ((random.nextDouble() * 2 - 1) * range);
      }
      float[] bias = new float[out];
      for (int i = 0; i < out; i++) {
        bias[i] = (float) ((random.nextDouble() * 2 - 1) * range);
      }
      boolean last = layer + 2 == widths.length;
      String w = "W" + layer;
      String b = "B" + layer;
      String product = "xw" + layer;
      String sum = last ? OUTPUT : "h" + layer;
      graph.addInitializer(tensor(w, new long[] {in, out}, weights))
          .addInitializer(tensor(b, new long[] {out}, bias))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput(previous).addInput(w).addOutput(product))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput(product).addInput(b).addOutput(sum));
      if (!last) {
        String relu = "relu" + layer;
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput(sum).addOutput(relu));
        sum = relu;
      }
      previous = sum;
    }
    return write(file, graph);
  }

  /**
   * Writes a 1-D convolutional classifier, the shape of a model over a raw vibration window: input
   * {@code x: float32[batch, 1, length]}, {@code layers} convolutions of {@code channels} filters of width
   * {@code kernel} ("same" padding, ReLU after each), the mean over time, then a dense layer to {@code classes}:
   * {@code y: float32[batch, classes]}. Seeded random weights scaled by {@code 1/sqrt(fan-in)}. Its run time grows with
   * {@code length x channels^2 x kernel x layers} while its weights stay small (compute-bound, unlike a wide MLP).
   */
  public static Path conv1d(Path file, int length, int channels, int layers, int kernel, int classes, long seed)
      throws IOException {
    if (length < 1 || channels < 1 || layers < 1 || kernel < 1 || kernel % 2 == 0 || classes < 1) {
      throw new IllegalArgumentException("conv1d needs positive sizes and an odd kernel, found length " + length
          + ", channels " + channels + ", layers " + layers + ", kernel " + kernel + ", classes " + classes);
    }
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.TensorShapeProto inputShape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(length)).build();
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("conv1d")
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName(INPUT).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(inputShape))))
        .addOutput(valueInfo(OUTPUT, "batch", classes));
    String previous = INPUT;
    int in = 1;
    for (int layer = 0; layer < layers; layer++) {
      String w = "K" + layer;
      String b = "C" + layer;
      graph.addInitializer(tensor(w, new long[] {channels, in, kernel}, uniform(random, channels * in * kernel,
              1 / Math.sqrt(in * kernel))))
          .addInitializer(tensor(b, new long[] {channels}, uniform(random, channels, 0.1)))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Conv").addInput(previous).addInput(w).addInput(b)
              .addOutput("conv" + layer)
              .addAttribute(ints("pads", kernel / 2, kernel / 2))
              .addAttribute(ints("kernel_shape", kernel)))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("conv" + layer).addOutput("act" + layer));
      previous = "act" + layer;
      in = channels;
    }
    graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").addInput(previous).addOutput("pooled")
            .addAttribute(ints("axes", 2))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims").setI(0)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .addInitializer(tensor("W", new long[] {channels, classes}, uniform(random, channels * classes,
            1 / Math.sqrt(channels))))
        .addInitializer(tensor("B", new long[] {classes}, uniform(random, classes, 0.1)))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("pooled").addInput("W").addOutput("xw"))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("xw").addInput("B").addOutput(OUTPUT));
    return write(file, graph);
  }

  private static float[] uniform(SplittableRandom random, int n, double range) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * range);
    }
    return values;
  }

  private static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /**
   * Writes {@code y = Expand(x, shape)}: {@code x} float32 {@code [rows, 1]}, {@code shape} int64 {@code [2]}, {@code y}
   * float32 of the shape asked for. A shape input of zeros ({@code [0, 0]}) is invalid for {@code rows} other than 1
   * (a dimension of {@code rows} cannot broadcast to 0), so a run on zero-filled inputs fails, while e.g.
   * {@code shape = [rows, 2]} repeats each row twice.
   *
   * @return {@code file}.
   */
  public static Path expand(Path file, int rows) throws IOException {
    OnnxMl.TensorShapeProto xShape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(rows))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1)).build();
    OnnxMl.TensorShapeProto shapeShape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2)).build();
    OnnxMl.TensorShapeProto yShape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("rows"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("columns")).build();
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("expand")
        .addInput(typed(INPUT, OnnxMl.TensorProto.DataType.FLOAT, xShape))
        .addInput(typed("shape", OnnxMl.TensorProto.DataType.INT64, shapeShape))
        .addOutput(typed(OUTPUT, OnnxMl.TensorProto.DataType.FLOAT, yShape))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Expand").addInput(INPUT).addInput("shape")
            .addOutput(OUTPUT));
    return write(file, graph);
  }

  private static OnnxMl.ValueInfoProto typed(String name, OnnxMl.TensorProto.DataType type,
      OnnxMl.TensorShapeProto shape) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  /** The identity-like model {@code y = x * scale}: each output is the input times {@code scale}. */
  public static Path scale(Path file, int width, float scale) throws IOException {
    float[] weights = new float[width * width];
    for (int i = 0; i < width; i++) {
      weights[i * width + i] = scale;
    }
    return linear(file, width, width, weights, new float[width], false);
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, String batch, long width) {
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }

  private static OnnxMl.TensorProto tensor(String name, long[] dims, float[] values) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }
}
