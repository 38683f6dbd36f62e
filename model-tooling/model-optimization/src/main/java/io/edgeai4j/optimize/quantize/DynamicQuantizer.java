package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic quantization as ONNX Runtime's {@code quantize_dynamic} writes it for MatMul (and Gemm without transA):
 * int8 weights stored quantized, the activation quantized to uint8 at run time by DynamicQuantizeLinear, the product
 * computed by MatMulInteger in int32, then {@code Cast} to float and scaled by {@code activation scale x weight scale}
 * (a Gemm's bias added after). No calibration data. Stateless, thread-safe.
 */
public final class DynamicQuantizer {
  private DynamicQuantizer() {}

  /**
   * @throws QuantizationException When the model has no MatMul or Gemm with an initializer weight, or per channel or
   *     DynamicQuantizeLinear cannot get the opset they need.
   */
  public static QdqQuantizer.Result quantize(OnnxMl.ModelProto model, QuantizeOptions options)
      throws QuantizationException {
    Exclusions.check(model.getGraph(), options.exclude());
    long before = Opsets.version(model);
    model = Opsets.atLeast(model, 11, "DynamicQuantizeLinear");
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    List<OnnxMl.TensorProto> added = new ArrayList<>();
    Map<String, String[]> dynamic = new HashMap<>();
    List<String> excluded = new ArrayList<>();
    int quantized = 0;
    for (int i = 0; i < graph.getNodeCount(); i++) {
      OnnxMl.NodeProto node = graph.getNode(i);
      Weight w = node.getDomain().isEmpty() ? Weight.of(node, initializers) : null;
      if (w == null) {
        nodes.add(node);
        continue;
      }
      String label = node.getName().isEmpty() ? node.getOpType() + "#" + i : node.getName();
      if (options.exclude().contains(node.getName()) || options.exclude().contains(node.getOpType())) {
        excluded.add(label);
        nodes.add(node);
        continue;
      }
      quantized++;
      String a = node.getInput(0);
      String[] q = dynamic.get(a);
      if (q == null) {
        q = new String[] {a + "_quantized", a + "_scale", a + "_zero_point"};
        dynamic.put(a, q);
        nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("DynamicQuantizeLinear").setName(a
            + "_DynamicQuantizeLinear").addInput(a).addOutput(q[0]).addOutput(q[1]).addOutput(q[2]).build());
      }
      String prefix = node.getOutput(0) + "_" + i;
      int axis = options.weightsPerChannel() ? 1 : -1;
      QuantizedTensor wq = LinearQuantization.quantizeWeight(w.values, new long[] {w.k, w.n}, axis, QuantType.INT8,
          options.weightsSymmetric(), options.reduceRange());
      ScaleZeroPoint[] params = wq.params();
      float[] scales = new float[params.length];
      int[] zeros = new int[params.length];
      for (int c = 0; c < params.length; c++) {
        scales[c] = params[c].scale() * w.alpha;
        zeros[c] = params[c].zeroPoint();
      }
      long[] paramShape = axis < 0 ? new long[0] : new long[] {w.n};
      added.add(OnnxProtos.intTensor(prefix + "_W_quantized", new long[] {w.k, w.n}, wq.values(),
          OnnxMl.TensorProto.DataType.INT8));
      added.add(OnnxProtos.floatTensor(prefix + "_W_scale", paramShape, scales));
      added.add(OnnxProtos.intTensor(prefix + "_W_zero_point", paramShape, zeros,
          OnnxMl.TensorProto.DataType.INT8));
      String y = w.bias == null ? node.getOutput(0) : prefix + "_scaled";
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("MatMulInteger").setName(prefix + "_MatMulInteger")
          .addInput(q[0]).addInput(prefix + "_W_quantized").addInput(q[2]).addInput(prefix + "_W_zero_point")
          .addOutput(prefix + "_int32").build());
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName(prefix + "_Cast").addInput(prefix + "_int32")
          .addOutput(prefix + "_float").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
              .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setType(OnnxMl.AttributeProto.AttributeType.INT))
          .build());
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName(prefix + "_scales_Mul").addInput(q[1])
          .addInput(prefix + "_W_scale").addOutput(prefix + "_scales").build());
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName(prefix + "_Mul").addInput(prefix + "_float")
          .addInput(prefix + "_scales").addOutput(y).build());
      if (w.bias != null) {
        added.add(OnnxProtos.floatTensor(prefix + "_bias", w.biasShape, w.bias));
        nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Add").setName(prefix + "_bias_Add").addInput(y)
            .addInput(prefix + "_bias").addOutput(node.getOutput(0)).build());
      }
    }
    if (quantized == 0) {
      throw new QuantizationException("no node to quantize dynamically: the model has no MatMul with a 2-D float"
          + " initializer weight, nor Gemm without transA, outside --exclude " + options.exclude());
    }
    OnnxMl.GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(nodes);
    OnnxProtos.replaceInitializers(g, initializers, added);
    OnnxMl.ModelProto out = model.toBuilder().setGraph(g).build();
    return new QdqQuantizer.Result(out, before, Opsets.version(out), quantized, excluded, 0, 0, 0, Map.of());
  }

  /** A MatMul's or Gemm's weight as a {@code [k, n]} matrix, with a Gemm's alpha and its bias times beta. */
  private record Weight(float[] values, int k, int n, float alpha, float[] bias, long[] biasShape) {
    static Weight of(OnnxMl.NodeProto node, Map<String, OnnxMl.TensorProto> initializers) {
      String op = node.getOpType();
      if (!(op.equals("MatMul") || op.equals("Gemm")) || node.getInputCount() < 2) {
        return null;
      }
      OnnxMl.TensorProto b = initializers.get(node.getInput(1));
      if (b == null || b.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber() || b.getDimsCount() != 2) {
        return null;
      }
      float[] values = OnnxProtos.floatValues(b);
      int rows = (int) b.getDims(0);
      int cols = (int) b.getDims(1);
      if (op.equals("MatMul")) {
        return new Weight(values, rows, cols, 1f, null, null);
      }
      if (OnnxProtos.intAttribute(node, "transA", 0) != 0) {
        return null;
      }
      float alpha = OnnxProtos.floatAttribute(node, "alpha", 1f);
      float beta = OnnxProtos.floatAttribute(node, "beta", 1f);
      float[] bias = null;
      long[] biasShape = null;
      if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
        OnnxMl.TensorProto c = initializers.get(node.getInput(2));
        if (c == null || c.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          return null;
        }
        bias = OnnxProtos.floatValues(c);
        for (int i = 0; i < bias.length; i++) {
          bias[i] *= beta;
        }
        biasShape = c.getDimsList().stream().mapToLong(Long::longValue).toArray();
      }
      if (OnnxProtos.intAttribute(node, "transB", 0) != 0) {
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            t[c * rows + r] = values[r * cols + c];
          }
        }
        return new Weight(t, cols, rows, alpha, bias, biasShape);
      }
      return new Weight(values, rows, cols, alpha, bias, biasShape);
    }

  }

}
