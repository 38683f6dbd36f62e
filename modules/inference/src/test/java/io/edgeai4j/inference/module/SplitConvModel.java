package io.edgeai4j.inference.module;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small 1-D conv chain and its two parts, split by hand at the tensor {@code act0} (H1's splitter is not used):
 * {@code x [batch, 1, length] → Conv(channels, kernel) → Relu → act0 → Conv → Relu → ReduceMean(time) → MatMul → Add →
 * Softmax → y [batch, classes]}. Part 0 computes {@code act0} from {@code x}; part 1 takes {@code act0} and computes
 * {@code y}, with the same weights. Written into a model repository as {@code conv} (unsplit), {@code conv-part-0}
 * and {@code conv-part-1}, each with its {@code model.json} (contract 3), version 1.
 *
 * <p>Also gives the first-order bound on how far an error of at most {@code e} in each element of {@code act0} can move
 * a probability of {@code y}: the second convolution multiplies it by at most {@link #s1} (the largest sum of
 * |weights| into one output channel; Relu and the mean do not enlarge it), the dense layer by at most {@link #s2}
 * (largest sum of |weights| into one class), and softmax by at most 1/2 (each row of its Jacobian sums in absolute
 * value to 2p(1-p) ≤ 1/2). And a bound on |act0|: {@link #s0} (largest sum of |weights| and |bias| of a channel, for
 * inputs in [-1, 1]).
 */
final class SplitConvModel {
  static final String[] CLASSES = {"normal", "imbalance", "misalignment", "outerRace", "innerRace"};

  final int length;
  final int channels;
  final int kernel;
  private final float[] k0;
  private final float[] b0;
  private final float[] k1;
  private final float[] b1;
  private final float[] w;
  private final float[] b;

  SplitConvModel(int length, int channels, int kernel, long seed) {
    this.length = length;
    this.channels = channels;
    this.kernel = kernel;
    SplittableRandom random = new SplittableRandom(seed);
    k0 = uniform(random, channels * kernel, 1 / Math.sqrt(kernel));
    b0 = uniform(random, channels, 0.1);
    k1 = uniform(random, channels * channels * kernel, 1 / Math.sqrt(channels * kernel));
    b1 = uniform(random, channels, 0.1);
    w = uniform(random, channels * CLASSES.length, 1 / Math.sqrt(channels));
    b = uniform(random, CLASSES.length, 0.1);
    b[0] = -20; // class 0 ("normal") never wins: every result raises an alert
  }

  /** Largest |act0| for inputs in [-1, 1]. */
  double s0() {
    double max = 0;
    for (int c = 0; c < channels; c++) {
      double s = Math.abs(b0[c]);
      for (int i = 0; i < kernel; i++) {
        s += Math.abs(k0[c * kernel + i]);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /** Largest sum of |weights| into one output channel of the second convolution. */
  double s1() {
    double max = 0;
    int fan = channels * kernel;
    for (int c = 0; c < channels; c++) {
      double s = 0;
      for (int i = 0; i < fan; i++) {
        s += Math.abs(k1[c * fan + i]);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /** Largest sum of |weights| into one class of the dense layer. */
  double s2() {
    double max = 0;
    for (int j = 0; j < CLASSES.length; j++) {
      double s = 0;
      for (int c = 0; c < channels; c++) {
        s += Math.abs(w[c * CLASSES.length + j]);
      }
      max = Math.max(max, s);
    }
    return max;
  }

  /** The bound on a probability's change for an error of at most {@code e} in each element of {@code act0}. */
  double probabilityBound(double e) {
    return 0.5 * e * s1() * s2();
  }

  /** Writes {@code conv}, {@code conv-part-0} (forwarding in {@code encoding}) and {@code conv-part-1}. */
  void write(Path repository, String encoding) throws IOException {
    String windowInput = "\"windowInput\": {\"input\": \"x\", \"length\": " + length + "}";
    String labels = "\"labels\": {\"output\": \"y\", \"classes\": [\"" + String.join("\", \"", CLASSES) + "\"]}";
    String x = "{\"name\": \"x\", \"type\": \"float32\", \"shape\": [-1, 1, " + length + "]}";
    String act = "{\"name\": \"act0\", \"type\": \"float32\", \"shape\": [-1, " + channels + ", " + length + "]}";
    String y = "{\"name\": \"y\", \"type\": \"float32\", \"shape\": [-1, " + CLASSES.length + "]}";
    write(repository.resolve("conv/1"), graph(true, true), """
        {"name": "conv", "inputs": [%s], "outputs": [%s], %s, %s, "warmup": {"runs": 1}}"""
        .formatted(x, y, labels, windowInput));
    write(repository.resolve("conv-part-0/1"), graph(true, false), """
        {"name": "conv-part-0", "inputs": [%s], "outputs": [%s], %s, "warmup": {"runs": 1},
         "partition": {"model": "conv", "part": 0, "parts": 2, "next": "conv-part-1", "activationEncoding": "%s"}}"""
        .formatted(x, act, windowInput, encoding));
    write(repository.resolve("conv-part-1/1"), graph(false, true), """
        {"name": "conv-part-1", "inputs": [%s], "outputs": [%s], %s, "warmup": {"runs": 1},
         "partition": {"model": "conv", "part": 1, "parts": 2}}""".formatted(act, y, labels));
  }

  private static void write(Path dir, OnnxMl.GraphProto.Builder graph, String modelJson) throws IOException {
    Files.createDirectories(dir);
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    Files.write(dir.resolve("model.onnx"), model.toByteArray());
    Files.writeString(dir.resolve("model.json"), modelJson);
  }

  /** The graph of the first half, the second, or both (the unsplit model). */
  private OnnxMl.GraphProto.Builder graph(boolean first, boolean second) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("conv");
    g.addInput(first ? info("x", 1, length) : info("act0", channels, length));
    g.addOutput(second ? info("y", CLASSES.length) : info("act0", channels, length));
    if (first) {
      g.addInitializer(tensor("K0", new long[] {channels, 1, kernel}, k0))
          .addInitializer(tensor("C0", new long[] {channels}, b0))
          .addNode(conv("x", "K0", "C0", "conv0"))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("conv0").addOutput("act0"));
    }
    if (second) {
      g.addInitializer(tensor("K1", new long[] {channels, channels, kernel}, k1))
          .addInitializer(tensor("C1", new long[] {channels}, b1))
          .addInitializer(tensor("W", new long[] {channels, CLASSES.length}, w))
          .addInitializer(tensor("B", new long[] {CLASSES.length}, b))
          .addNode(conv("act0", "K1", "C1", "conv1"))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("conv1").addOutput("act1"))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").addInput("act1").addOutput("pooled")
              .addAttribute(ints("axes", 2)).addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                  .setI(0).setType(OnnxMl.AttributeProto.AttributeType.INT)))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("pooled").addInput("W").addOutput("xw"))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("xw").addInput("B").addOutput("logits"))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Softmax").addInput("logits").addOutput("y")
              .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(-1)
                  .setType(OnnxMl.AttributeProto.AttributeType.INT)));
    }
    return g;
  }

  private OnnxMl.NodeProto.Builder conv(String in, String k, String bias, String out) {
    return OnnxMl.NodeProto.newBuilder().setOpType("Conv").addInput(in).addInput(k).addInput(bias).addOutput(out)
        .addAttribute(ints("pads", kernel / 2, kernel / 2)).addAttribute(ints("kernel_shape", kernel));
  }

  private static OnnxMl.ValueInfoProto info(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (long d : dims) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .setShape(shape))).build();
  }

  private static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
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

  private static float[] uniform(SplittableRandom random, int n, double range) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * range);
    }
    return values;
  }

  /** {@code n} values in [-1, 1). */
  static float[] window(int n, long seed) {
    return uniform(new SplittableRandom(seed), n, 1);
  }
}
