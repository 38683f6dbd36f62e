package io.edgeai4j.train.vibration;

import static io.edgeai4j.train.graph.GraphParts.dim;
import static io.edgeai4j.train.graph.GraphParts.heUniform;
import static io.edgeai4j.train.graph.GraphParts.intAttribute;
import static io.edgeai4j.train.graph.GraphParts.ints;
import static io.edgeai4j.train.graph.GraphParts.node;
import static io.edgeai4j.train.graph.GraphParts.valueInfo;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The initial (untrained) ONNX graph of the vibration CNN: a 1-D convolutional classifier over one window of raw
 * vibration samples. Input {@code window: float32[batch, 1, length]} (the samples as the simulator and the
 * sensor-ingestion module give them, in m/s²; no normalisation is needed, see the README), then for each
 * {@link Stage} Conv1d (symmetric padding {@code kernel / 2}) → Relu → MaxPool ({@code pool} wide, stride
 * {@code pool}), GlobalAveragePool → Flatten → Gemm to {@code hidden} → Relu → Gemm to {@code classes} → Softmax →
 * {@code probabilities: float32[batch, classes]}. Node and tensor names are stable ({@code conv1.out},
 * {@code pool1.out}, ...) so that a split names its cut by them. Opset 13; weights He-uniform from a seeded
 * generator, biases 0. Stateless, thread-safe.
 */
public final class VibrationCnnGraph {
  /** The graph's input and output names (contract 5 of issue 17). */
  public static final String INPUT = "window";
  public static final String OUTPUT = "probabilities";

  /**
   * One Conv1d → Relu → MaxPool stage.
   *
   * @param channels Output channels of the convolution.
   * @param kernel Kernel width (odd; padded by {@code kernel / 2} on each side).
   * @param stride The convolution's stride.
   * @param pool The max-pooling width and stride.
   */
  public record Stage(int channels, int kernel, int stride, int pool) {
    /** Validates. */
    public Stage {
      if (channels < 1 || kernel < 1 || kernel % 2 == 0 || stride < 1 || pool < 1) {
        throw new IllegalArgumentException("stage channels " + channels + ", kernel " + kernel + ", stride " + stride
            + ", pool " + pool + ": expected positive values and an odd kernel");
      }
    }
  }

  /**
   * The architecture.
   *
   * @param length Samples per window.
   * @param stages The convolution stages, from the input.
   * @param hidden Units of the hidden Gemm.
   * @param classes Output classes.
   */
  public record Architecture(int length, List<Stage> stages, int hidden, int classes) {
    /**
     * The committed model's: 4096 samples; 16 filters of 9 at stride 1 pooled by 2 (16 × 2048 activations, 8× the
     * raw window), 32 of 9 not pooled (32 × 2048, 16×), 64 of 9 pooled by 4 (64 × 512, 8×), 128 of 9 pooled by 32
     * (128 × 16, half the window); a hidden layer of 32; five classes. About 85 M multiply-accumulates a window.
     */
    public static final Architecture DEFAULT = new Architecture(4096,
        List.of(new Stage(16, 9, 1, 2), new Stage(32, 9, 1, 1), new Stage(64, 9, 1, 4), new Stage(128, 9, 1, 32)),
        32, 5);

    /** Validates: every stage leaves at least one sample. */
    public Architecture {
      stages = List.copyOf(stages);
      if (stages.isEmpty() || hidden < 1 || classes < 2) {
        throw new IllegalArgumentException("an architecture needs a stage, a hidden layer and 2 classes or more");
      }
      int n = length;
      for (Stage s : stages) {
        n = (n - 1) / s.stride() + 1;
        n /= s.pool();
        if (n < 1) {
          throw new IllegalArgumentException("a window of " + length + " samples is pooled away by the stages "
              + stages);
        }
      }
    }

    /** The samples (time steps) each stage's output has, in stage order. */
    public int[] stageLengths() {
      int[] lengths = new int[stages.size()];
      int n = length;
      for (int i = 0; i < stages.size(); i++) {
        n = (n - 1) / stages.get(i).stride() + 1;
        n /= stages.get(i).pool();
        lengths[i] = n;
      }
      return lengths;
    }
  }

  private VibrationCnnGraph() {}

  /** The untrained graph of {@code architecture}, weights drawn from {@code seed}. */
  public static OnnxMl.ModelProto build(Architecture architecture, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("vibration_cnn")
        .addInput(valueInfo(INPUT, dim("batch"), dim(1), dim(architecture.length())))
        .addOutput(valueInfo(OUTPUT, dim("batch"), dim(architecture.classes())));
    String x = INPUT;
    int in = 1;
    for (int i = 0; i < architecture.stages().size(); i++) {
      Stage s = architecture.stages().get(i);
      String n = String.valueOf(i + 1);
      int fanIn = in * s.kernel();
      g.addInitializer(OnnxProtos.floatTensor("conv" + n + ".weight", new long[] {s.channels(), in, s.kernel()},
              heUniform(random, s.channels() * fanIn, fanIn)))
          .addInitializer(OnnxProtos.floatTensor("conv" + n + ".bias", new long[] {s.channels()},
              new float[s.channels()]))
          .addNode(node("Conv", "conv" + n, new String[] {x, "conv" + n + ".weight", "conv" + n + ".bias"},
              "conv" + n + ".out")
              .addAttribute(ints("kernel_shape", s.kernel()))
              .addAttribute(ints("strides", s.stride()))
              .addAttribute(ints("pads", s.kernel() / 2, s.kernel() / 2)))
          .addNode(node("Relu", "relu" + n, new String[] {"conv" + n + ".out"}, "relu" + n + ".out"))
          .addNode(node("MaxPool", "pool" + n, new String[] {"relu" + n + ".out"}, "pool" + n + ".out")
              .addAttribute(ints("kernel_shape", s.pool())).addAttribute(ints("strides", s.pool())));
      x = "pool" + n + ".out";
      in = s.channels();
    }
    int hidden = architecture.hidden();
    int classes = architecture.classes();
    g.addNode(node("GlobalAveragePool", "gap", new String[] {x}, "gap.out"))
        .addNode(node("Flatten", "flatten", new String[] {"gap.out"}, "flat"))
        .addInitializer(OnnxProtos.floatTensor("fc1.weight", new long[] {hidden, in}, heUniform(random, hidden * in, in)))
        .addInitializer(OnnxProtos.floatTensor("fc1.bias", new long[] {hidden}, new float[hidden]))
        .addNode(node("Gemm", "fc1", new String[] {"flat", "fc1.weight", "fc1.bias"}, "fc1.out")
            .addAttribute(intAttribute("transB", 1)))
        .addNode(node("Relu", "relu_fc1", new String[] {"fc1.out"}, "relu_fc1.out"))
        .addInitializer(OnnxProtos.floatTensor("fc2.weight", new long[] {classes, hidden},
            heUniform(random, classes * hidden, hidden)))
        .addInitializer(OnnxProtos.floatTensor("fc2.bias", new long[] {classes}, new float[classes]))
        .addNode(node("Gemm", "fc2", new String[] {"relu_fc1.out", "fc2.weight", "fc2.bias"}, "logits")
            .addAttribute(intAttribute("transB", 1)))
        .addNode(node("Softmax", "softmax", new String[] {"logits"}, OUTPUT).addAttribute(intAttribute("axis", -1)));
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("edgeai4j-model-training")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }
}
