package io.edgeai4j.optimize.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightOnlyAndDynamicTest {
  static final int ROWS = 400;

  @TempDir Path dir;

  private static QuantizeOptions options(boolean perChannel, boolean asymmetric, boolean reduce, String... exclude) {
    return new QuantizeOptions(CalibrationMethod.MINMAX, perChannel, asymmetric, QuantType.INT8, reduce,
        Set.of(exclude), Target.ONNXRUNTIME);
  }

  private static Map<String, Long> ops(OnnxMl.ModelProto model) {
    return model.getGraph().getNodeList().stream()
        .collect(Collectors.groupingBy(OnnxMl.NodeProto::getOpType, Collectors.counting()));
  }

  @ParameterizedTest(name = "perChannel={0} asymmetric={1} reduce={2}")
  @CsvSource({"false, false, false", "true, false, false", "false, true, false", "true, false, true"})
  void weightOnlyStoresInt8WeightsAndKeepsActivationsFloat(boolean perChannel, boolean asymmetric, boolean reduce)
      throws Exception {
    Path fp32 = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 64, 64, 3, 5, 10, 11);
    Path out = dir.resolve("w8.onnx");

    QdqQuantizer.Result result = QdqQuantizer.weightOnly(OnnxModelFile.read(fp32), options(perChannel, asymmetric,
        reduce));
    OnnxModelFile.writeChecked(result.model(), out);

    Map<String, Long> ops = ops(result.model());
    assertThat(ops).doesNotContainKey("QuantizeLinear").containsEntry("DequantizeLinear", 4L); // K0..K2, W
    assertThat(result.quantizedNodes()).isEqualTo(4);
    assertThat(result.model().getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("K1"))
        .anyMatch(t -> t.getName().equals("C1") && t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    double ratio = (double) Files.size(out) / Files.size(fp32);
    float[] x = Signals.windows(ROWS, 64, 5);
    double agreement = Signals.agreement(Signals.top1(fp32, x, ROWS, 1, 64), Signals.top1(out, x, ROWS, 1, 64));
    System.out.printf("weight-only %s: %d -> %d bytes (%.3f), agreement %.4f%n", options(perChannel, asymmetric,
        reduce), Files.size(fp32), Files.size(out), ratio, agreement);
    assertThat(ratio).isLessThanOrEqualTo(0.3);
    assertThat(agreement).isGreaterThanOrEqualTo(reduce ? 0.95 : 0.98);
  }

  @ParameterizedTest(name = "perChannel={0} asymmetric={1} reduce={2}")
  @CsvSource({"false, false, false", "true, false, false", "false, true, true"})
  void dynamicQuantizesMatMulsWithMatMulInteger(boolean perChannel, boolean asymmetric, boolean reduce)
      throws Exception {
    Path fp32 = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {64, 256, 256, 10}, 21);
    Path out = dir.resolve("dyn.onnx");

    QdqQuantizer.Result result = DynamicQuantizer.quantize(OnnxModelFile.read(fp32), options(perChannel, asymmetric,
        reduce));
    OnnxModelFile.writeChecked(result.model(), out);

    Map<String, Long> ops = ops(result.model());
    assertThat(ops).containsEntry("MatMulInteger", 3L).containsEntry("DynamicQuantizeLinear", 3L)
        .doesNotContainKey("MatMul");
    double ratio = (double) Files.size(out) / Files.size(fp32);
    float[] x = Signals.windows(ROWS, 64, 9);
    double agreement = Signals.agreement(Signals.top1(fp32, x, ROWS, 64), Signals.top1(out, x, ROWS, 64));
    System.out.printf("dynamic %s: %d -> %d bytes (%.3f), agreement %.4f%n", options(perChannel, asymmetric, reduce),
        Files.size(fp32), Files.size(out), ratio, agreement);
    assertThat(ratio).isLessThanOrEqualTo(0.3);
    assertThat(agreement).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void dynamicHandlesGemmWithTransposedWeightsAlphaAndBeta() throws Exception {
    // y = 0.5 * x W^T + 2 * C with W stored [out, in] (transB = 1).
    int in = 16;
    int outWidth = 4;
    float[] w = new float[outWidth * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.sin(i * 0.7);
    }
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.linear(dir.resolve("l.onnx"), in, outWidth,
        new float[in * outWidth], new float[] {0.1f, -0.2f, 0.3f, 0}, false));
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearNode();
    OnnxMl.TensorProto.Builder wt = OnnxMl.TensorProto.newBuilder().setName("W")
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(outWidth).addDims(in);
    for (float v : w) {
      wt.addFloatData(v);
    }
    g.setInitializer(0, wt);
    g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").addInput("x").addInput("W").addInput("B")
        .addOutput("y").addAttribute(attr("transB", 1)).addAttribute(OnnxMl.AttributeProto.newBuilder()
            .setName("alpha").setF(0.5f).setType(OnnxMl.AttributeProto.AttributeType.FLOAT))
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("beta").setF(2f)
            .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)));
    Path fp32 = dir.resolve("gemm.onnx");
    OnnxModelFile.writeChecked(model.toBuilder().setGraph(g).build(), fp32);
    Path out = dir.resolve("gemm.dyn.onnx");

    OnnxModelFile.writeChecked(DynamicQuantizer.quantize(OnnxModelFile.read(fp32), options(false, false, false))
        .model(), out);

    float[] x = Signals.windows(50, in, 3);
    assertThat(Signals.agreement(Signals.top1(fp32, x, 50, in), Signals.top1(out, x, 50, in)))
        .isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void aModelWithoutWeightsIsRefused() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.expand(dir.resolve("e.onnx"), 2));

    assertThatThrownBy(() -> DynamicQuantizer.quantize(model, options(false, false, false)))
        .hasMessageContaining("no node to quantize dynamically");
    assertThatThrownBy(() -> QdqQuantizer.weightOnly(model, options(false, false, false)))
        .hasMessageContaining("no weight to quantize");
  }

  private static OnnxMl.AttributeProto attr(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
  }
}
