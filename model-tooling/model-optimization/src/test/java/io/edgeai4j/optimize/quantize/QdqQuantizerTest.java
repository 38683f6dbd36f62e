package io.edgeai4j.optimize.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QdqQuantizerTest {
  static final int LENGTH = 64;
  static final int HELD_OUT = 400;

  @TempDir Path dir;

  private Path conv() throws Exception {
    // About 41,600 parameters: 1x5 -> 64 filters, 64x64x5 twice, 64 -> 10.
    return OnnxTestModels.conv1d(dir.resolve("conv.onnx"), LENGTH, 64, 3, 5, 10, 11);
  }

  private Path calibration() throws Exception {
    Path data = dir.resolve("calibration");
    Signals.writeCalibration(data, 8, 16, LENGTH, 100);
    return data;
  }

  private static Map<String, Long> histogram(OnnxMl.ModelProto model) {
    return model.getGraph().getNodeList().stream()
        .collect(Collectors.groupingBy(OnnxMl.NodeProto::getOpType, Collectors.counting()));
  }

  private static OnnxMl.TensorProto initializer(OnnxMl.ModelProto model, String name) {
    return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no initializer " + name));
  }

  @Test
  void theDefaultsMakeASmallQdqConvClassifierThatAgreesWithFloat() throws Exception {
    Path fp32 = conv();
    Path int8 = dir.resolve("conv.int8.onnx");

    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(calibration()),
        QuantizeOptions.defaults(), null);
    OnnxModelFile.writeChecked(result.model(), int8);

    Map<String, Long> ops = histogram(result.model());
    // 3 Conv + 3 Relu + MatMul + Add quantized, the Relus folded into the Convs' output quantization (as ONNX
    // Runtime with asymmetric activations); ReduceMean stays float between a DQ and a Q.
    assertThat(result.quantizedNodes()).isEqualTo(8);
    assertThat(result.foldedRelus()).isEqualTo(3);
    assertThat(ops).containsEntry("Conv", 3L).doesNotContainKey("Relu")
        .containsEntry("QuantizeLinear", (long) result.quantizeLinear());
    assertThat(result.quantizeLinear()).isEqualTo(7); // x, act0..2, pooled, xw, y
    assertThat(ops.get("DequantizeLinear")).isEqualTo(7L + 4 + 3 + 1); // activations, 4 weights, 3 conv biases, B
    assertThat(initializer(result.model(), "K1_quantized").getDataType())
        .isEqualTo(OnnxMl.TensorProto.DataType.INT8.getNumber());
    assertThat(initializer(result.model(), "C1_quantized").getDataType())
        .isEqualTo(OnnxMl.TensorProto.DataType.INT32.getNumber());
    assertThat(result.model().getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("K1"));

    double ratio = (double) Files.size(int8) / Files.size(fp32);
    float[] x = Signals.windows(HELD_OUT, LENGTH, 999);
    double agreement = Signals.agreement(Signals.top1(fp32, x, HELD_OUT, 1, LENGTH),
        Signals.top1(int8, x, HELD_OUT, 1, LENGTH));
    System.out.printf("conv1d %d -> %d bytes (ratio %.3f), top-1 agreement %.4f on %d held-out rows%n",
        Files.size(fp32), Files.size(int8), ratio, agreement, HELD_OUT);
    assertThat(ratio).isLessThanOrEqualTo(0.3);
    assertThat(agreement).isGreaterThanOrEqualTo(0.95);
  }

  @ParameterizedTest(name = "{0} perChannel={1} asymmetric={2} {3} reduce={4} {5}")
  @CsvSource({
      "MINMAX,     false, false, INT8,  false, ONNXRUNTIME",
      "PERCENTILE, false, false, INT8,  false, ONNXRUNTIME",
      "ENTROPY,    false, false, INT8,  false, ONNXRUNTIME",
      "MINMAX,     true,  false, INT8,  false, ONNXRUNTIME",
      "MINMAX,     false, true,  UINT8, false, ONNXRUNTIME",
      "MINMAX,     true,  false, UINT8, true,  ONNXRUNTIME",
      "MINMAX,     false, false, INT8,  false, TENSORRT",
      "ENTROPY,    false, false, INT8,  false, TENSORRT"})
  void everyModeLoadsInOnnxRuntimeAndAgreesWithFloat(CalibrationMethod method, boolean perChannel,
      boolean asymmetric, QuantType activations, boolean reduce, Target target) throws Exception {
    Path fp32 = conv();
    Path out = dir.resolve("q.onnx");
    QuantizeOptions options = new QuantizeOptions(method, perChannel, asymmetric, activations, reduce, Set.of(),
        target);

    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(calibration()),
        options, null);
    OnnxModelFile.writeChecked(result.model(), out);

    OnnxMl.ModelProto m = result.model();
    OnnxMl.NodeProto weightDq = m.getGraph().getNodeList().stream()
        .filter(n -> n.getName().equals("K1_DequantizeLinear")).findFirst().orElseThrow();
    boolean perAxis = perChannel || target == Target.TENSORRT;
    assertThat(weightDq.getAttributeList()).hasSize(perAxis ? 1 : 0);
    assertThat(initializer(m, "K1_scale").getDimsList()).isEqualTo(perAxis ? List.of(64L) : List.of());
    if (perAxis) {
      assertThat(Opsets.version(m)).isEqualTo(13);
    }
    OnnxMl.TensorProto activationZero = initializer(m, "act0_zero_point");
    assertThat(activationZero.getDataType()).isEqualTo(activations.onnxType().getNumber());
    if (target == Target.TENSORRT) {
      // Symmetric int8 everywhere: every zero point is 0; Q/DQ only on the inputs of Conv, MatMul, Add (none between a
      // Conv and its Relu, which TensorRT fuses).
      for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
        if (t.getName().endsWith("_zero_point")) {
          assertThat(t.getRawData().toByteArray()).as(t.getName()).containsOnly((byte) 0);
          assertThat(t.getDataType()).isIn(OnnxMl.TensorProto.DataType.INT8.getNumber(),
              OnnxMl.TensorProto.DataType.INT32.getNumber());
        }
      }
      assertThat(m.getGraph().getNodeList()).noneMatch(n -> n.getName().equals("conv0_QuantizeLinear"));
      assertThat(m.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("Relu")).hasSize(3);
    }
    float[] x = Signals.windows(HELD_OUT, LENGTH, 999);
    double agreement = Signals.agreement(Signals.top1(fp32, x, HELD_OUT, 1, LENGTH),
        Signals.top1(out, x, HELD_OUT, 1, LENGTH));
    System.out.printf("%s: agreement %.4f, %d bytes%n", options, agreement, Files.size(out));
    assertThat(agreement).isGreaterThanOrEqualTo(reduce ? 0.85 : 0.9);
  }

  @Test
  void excludedNodesAndOpTypesStayFloat() throws Exception {
    Path fp32 = conv();
    QuantizeOptions options = new QuantizeOptions(CalibrationMethod.MINMAX, false, false, QuantType.INT8, false,
        Set.of("MatMul", "conv-2"), Target.ONNXRUNTIME);
    OnnxMl.ModelProto named = OnnxModelFile.read(fp32);
    OnnxMl.GraphProto.Builder g = named.getGraph().toBuilder();
    g.setNode(4, g.getNode(4).toBuilder().setName("conv-2")); // the third Conv
    named = named.toBuilder().setGraph(g).build();

    QdqQuantizer.Result result = QdqQuantizer.quantize(named, TestDataSets.open(calibration()), options, null);
    OnnxModelFile.writeChecked(result.model(), dir.resolve("q.onnx"));

    assertThat(result.excludedNodes()).containsExactly("conv-2", "MatMul#7");
    assertThat(initializer(result.model(), "W").getDataType()).isEqualTo(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    assertThat(result.model().getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("W_quantized"));
    assertThat(initializer(result.model(), "K2").getDataType()).isEqualTo(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    assertThat(initializer(result.model(), "C2").getDataType()).isEqualTo(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    assertThat(initializer(result.model(), "K1_quantized").getDataType())
        .isEqualTo(OnnxMl.TensorProto.DataType.INT8.getNumber());
  }

  @Test
  void perChannelUpgradesAnOpset11ModelWhoseOpsCarryOver() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 4},
        3));
    model = model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(11)).setIrVersion(6)
        .build();
    Path data = dir.resolve("data");
    for (int s = 0; s < 3; s++) {
      DataDirs.writeSet(data, s, Signals.windows(2, 8, s), 2, 8);
    }
    QuantizeOptions options = new QuantizeOptions(CalibrationMethod.MINMAX, true, false, QuantType.INT8, false,
        Set.of(), Target.ONNXRUNTIME);

    QdqQuantizer.Result result = QdqQuantizer.quantize(model, TestDataSets.open(data), options, null);
    OnnxModelFile.writeChecked(result.model(), dir.resolve("q.onnx"));

    assertThat(result.opsetBefore()).isEqualTo(11);
    assertThat(result.opsetAfter()).isEqualTo(13);
    assertThat(result.model().getIrVersion()).isGreaterThanOrEqualTo(7);
  }

  @ParameterizedTest(name = "opset {0} -> {1}")
  @CsvSource({"9, 11", "10, 10", "12, 12"})
  void perTensorRaisesOnlyModelsBelowOpset10ToOpset11AsOnnxRuntime(long opset, long after) throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 4},
        3));
    model = model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(opset)).setIrVersion(4)
        .build();
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, Signals.windows(2, 8, 1), 2, 8);

    QdqQuantizer.Result result = QdqQuantizer.quantize(model, TestDataSets.open(data), QuantizeOptions.defaults(),
        null);
    OnnxModelFile.writeChecked(result.model(), dir.resolve("q.onnx"));

    assertThat(result.opsetAfter()).isEqualTo(after);
  }

  @Test
  void perChannelRefusesAModelWithAnOpThatDoesNotCarryOverNamingIt() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.linear(dir.resolve("l.onnx"), 2, 2,
        new float[] {1, 0, 0, 1}, new float[] {0, 0}, true));
    model = model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(11)).build();
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {1, 2}, 1, 2);
    OnnxMl.ModelProto opset11 = model;
    QuantizeOptions options = new QuantizeOptions(CalibrationMethod.MINMAX, true, false, QuantType.INT8, false,
        Set.of(), Target.ONNXRUNTIME);

    assertThatThrownBy(() -> QdqQuantizer.quantize(opset11, TestDataSets.open(data), options, null))
        .isInstanceOf(QuantizationException.class)
        .hasMessageContaining("per-channel quantization (DequantizeLinear's axis) needs opset 13")
        .hasMessageContaining("op Softmax (node '') cannot be carried from opset 11 to 13");
  }

  @Test
  void softmaxStaysFloat() throws Exception {
    Path fp32 = OnnxTestModels.linear(dir.resolve("l.onnx"), 2, 3, new float[] {1, 0, 2, 0, 1, -1},
        new float[] {0.1f, 0, 0}, true);
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {1, 2, -1, 0.5f}, 2, 2);

    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(data),
        QuantizeOptions.defaults(), null);
    OnnxModelFile.writeChecked(result.model(), dir.resolve("q.onnx"));

    // Softmax reads the dequantized logits and writes the graph output itself, in float.
    OnnxMl.NodeProto softmax = result.model().getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("Softmax")).findFirst().orElseThrow();
    assertThat(softmax.getInput(0)).isEqualTo("logits_DequantizeLinear_Output");
    assertThat(softmax.getOutput(0)).isEqualTo("y");
    assertThat(result.model().getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getName))
        .doesNotContain("y_QuantizeLinear");
    assertThat(Arrays.asList(result.model().getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType)
        .toArray())).contains("QuantizeLinear", "DequantizeLinear", "MatMul", "Add");
  }

  /** h = x W; y = Reshape(h, Concat(Mul(Shape(h), [1, 1]))): the int64 Mul and Concat are shape arithmetic. */
  @Test
  void integerShapeArithmeticIsLeftAlone() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.random(dir.resolve("r.onnx"), 4, 3, 5));
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "h"));
    g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("ones")
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(2).addInt64Data(1).addInt64Data(1));
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Shape").addInput("h").addOutput("s"));
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").addInput("s").addInput("ones").addOutput("m"));
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Concat").addInput("m").addOutput("t")
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(0)
            .setType(OnnxMl.AttributeProto.AttributeType.INT)));
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Reshape").addInput("h").addInput("t").addOutput("y"));
    model = model.toBuilder().setGraph(g).build();
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {1, -2, 0.5f, 3, 0, 1, 1, -1}, 2, 4);

    QdqQuantizer.Result result = QdqQuantizer.quantize(model, TestDataSets.open(data), QuantizeOptions.defaults(),
        null);
    OnnxModelFile.writeChecked(result.model(), dir.resolve("q.onnx"));

    // MatMul and Add quantized (and Reshape after them, sharing h's parameters); Mul and Concat on int64 are not.
    assertThat(result.quantizedNodes()).isEqualTo(3);
    assertThat(result.ranges()).containsOnlyKeys("x", "xw", "h");
    assertThat(result.model().getGraph().getNodeList()).noneMatch(n -> n.getName().startsWith("m_") || n.getName()
        .startsWith("t_") || n.getName().startsWith("s_"));
  }

  /** y = Relu(x W): the Relu is dropped and the quantization of y ([0, max], zero point at qmin) clips negatives. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"INT8", "UINT8"})
  void aFoldedReluStillClipsNegatives(QuantType activations) throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.linear(dir.resolve("l.onnx"), 2, 2,
        new float[] {1, -1, -1, 1}, new float[] {0, 0}, false));
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "sum"));
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("sum").addOutput("y"));
    Path fp32 = dir.resolve("relu.onnx");
    OnnxModelFile.writeChecked(model.toBuilder().setGraph(g).build(), fp32);
    Path data = dir.resolve("data");
    DataDirs.writeSet(data, 0, new float[] {1, 0, 0, 1, 2, -1, -3, 1}, 4, 2);
    QuantizeOptions options = new QuantizeOptions(CalibrationMethod.MINMAX, false, false, activations, false,
        Set.of(), Target.ONNXRUNTIME);

    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(data), options,
        null);
    Path out = dir.resolve("q.onnx");
    OnnxModelFile.writeChecked(result.model(), out);

    assertThat(result.foldedRelus()).isEqualTo(1);
    assertThat(result.model().getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("Relu"));
    // x W for [2, -1] is [3, -3] and for [-3, 1] is [-4, 4]: the negatives come out as exactly 0.
    float[] y = run(out, new float[] {2, -1, -3, 1});
    float scale = 4f / (activations.max() - activations.min()); // y's range [0, 4]
    assertThat(y[1]).isZero();
    assertThat(y[2]).isZero();
    assertThat(y[0]).isCloseTo(3f, org.assertj.core.api.Assertions.within(scale));
    assertThat(y[3]).isCloseTo(4f, org.assertj.core.api.Assertions.within(scale));
  }

  private static float[] run(Path model, float[] x) throws Exception {
    ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (ai.onnxruntime.OrtSession session = env.createSession(model.toString());
        ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x),
            new long[] {x.length / 2, 2});
        ai.onnxruntime.OrtSession.Result out = session.run(Map.of("x", input))) {
      java.nio.FloatBuffer b = ((ai.onnxruntime.OnnxTensor) out.get(0)).getFloatBuffer();
      float[] y = new float[b.remaining()];
      b.get(y);
      return y;
    }
  }
}
