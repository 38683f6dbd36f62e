package io.edgeai4j.train.fashion;

import static io.edgeai4j.train.graph.GraphParts.dim;
import static io.edgeai4j.train.graph.GraphParts.heUniform;
import static io.edgeai4j.train.graph.GraphParts.ints;
import static io.edgeai4j.train.graph.GraphParts.node;
import static io.edgeai4j.train.graph.GraphParts.valueInfo;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.SplittableRandom;

/**
 * The initial (untrained) ONNX graph of an image classifier for 28×28 grey images, a small VGG-style network:
 * three blocks of Conv 3×3 (padding 1) → Relu → MaxPool 2×2, with {@code c1}, {@code c2}, {@code c3} filters, then
 * Flatten → Gemm to {@code hidden} → Relu → Gemm to 10 classes → Softmax. Input {@code image: float32[batch, 1, 28,
 * 28]} (pixels scaled to [0, 1]), output {@code probabilities: float32[batch, 10]}. Opset 13, so per-channel
 * quantization needs no conversion. Weights drawn He-uniform ({@code ±sqrt(6 / fan-in)}) from a seeded generator,
 * biases 0. Stateless, thread-safe.
 */
public final class ConvClassifierGraph {
  /** The graph's input and output names. */
  public static final String INPUT = "image";
  public static final String OUTPUT = "probabilities";
  static final int SIDE = 28;
  static final int CLASSES = 10;

  private ConvClassifierGraph() {}

  /** The graph with filters {@code c1, c2, c3} and a hidden layer of {@code hidden} units, weights seeded. */
  public static OnnxMl.ModelProto build(int c1, int c2, int c3, int hidden, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("fashion_mnist_cnn")
        .addInput(valueInfo(INPUT, dim("batch"), dim(1), dim(SIDE), dim(SIDE)))
        .addOutput(valueInfo(OUTPUT, dim("batch"), dim(CLASSES)));
    String x = INPUT;
    int in = 1;
    int[] filters = {c1, c2, c3};
    int side = SIDE;
    for (int block = 1; block <= 3; block++) {
      int out = filters[block - 1];
      String w = "conv" + block + ".weight";
      String b = "conv" + block + ".bias";
      g.addInitializer(OnnxProtos.floatTensor(w, new long[] {out, in, 3, 3}, heUniform(random, out * in * 9, in * 9)))
          .addInitializer(OnnxProtos.floatTensor(b, new long[] {out}, new float[out]))
          .addNode(node("Conv", "conv" + block, new String[] {x, w, b}, "conv" + block + ".out")
              .addAttribute(ints("kernel_shape", 3, 3)).addAttribute(ints("pads", 1, 1, 1, 1)))
          .addNode(node("Relu", "relu" + block, new String[] {"conv" + block + ".out"}, "relu" + block + ".out"))
          .addNode(node("MaxPool", "pool" + block, new String[] {"relu" + block + ".out"}, "pool" + block + ".out")
              .addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("strides", 2, 2)));
      x = "pool" + block + ".out";
      in = out;
      side /= 2;
    }
    int flat = in * side * side;
    g.addNode(node("Flatten", "flatten", new String[] {x}, "flat"))
        .addInitializer(OnnxProtos.floatTensor("fc1.weight", new long[] {hidden, flat},
            heUniform(random, hidden * flat, flat)))
        .addInitializer(OnnxProtos.floatTensor("fc1.bias", new long[] {hidden}, new float[hidden]))
        .addNode(node("Gemm", "fc1", new String[] {"flat", "fc1.weight", "fc1.bias"}, "fc1.out")
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB").setI(1)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .addNode(node("Relu", "relu4", new String[] {"fc1.out"}, "relu4.out"))
        .addInitializer(OnnxProtos.floatTensor("fc2.weight", new long[] {CLASSES, hidden},
            heUniform(random, CLASSES * hidden, hidden)))
        .addInitializer(OnnxProtos.floatTensor("fc2.bias", new long[] {CLASSES}, new float[CLASSES]))
        .addNode(node("Gemm", "fc2", new String[] {"relu4.out", "fc2.weight", "fc2.bias"}, "logits")
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB").setI(1)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .addNode(node("Softmax", "softmax", new String[] {"logits"}, OUTPUT)
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(-1)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)));
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("edgeai4j-model-training")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }
}
