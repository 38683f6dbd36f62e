package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.SplittableRandom;

/**
 * A small image classifier with a BatchNormalization, for the commands' {@code --fold-batchnorm}: image
 * {@code [N, 1, 28, 28]} → Conv 8×3×3 (pads 1) → BatchNormalization → Relu → GlobalAveragePool → Flatten → Gemm 10 →
 * Softmax, seeded weights.
 */
final class BatchNormModel {
  private BatchNormModel() {}

  static OnnxMl.ModelProto build() {
    SplittableRandom r = new SplittableRandom(3);
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("bn")
        .addInput(info("image", -1, 1, 28, 28)).addOutput(info("probabilities", -1, 10))
        .addInitializer(OnnxProtos.floatTensor("w", new long[] {8, 1, 3, 3}, values(r, 72, 0.5)))
        .addInitializer(OnnxProtos.floatTensor("b", new long[] {8}, values(r, 8, 0.1)))
        .addInitializer(OnnxProtos.floatTensor("scale", new long[] {8}, shifted(values(r, 8, 0.2), 1)))
        .addInitializer(OnnxProtos.floatTensor("shift", new long[] {8}, values(r, 8, 0.1)))
        .addInitializer(OnnxProtos.floatTensor("mean", new long[] {8}, values(r, 8, 0.1)))
        .addInitializer(OnnxProtos.floatTensor("var", new long[] {8}, shifted(values(r, 8, 0.2), 1)))
        .addInitializer(OnnxProtos.floatTensor("fc", new long[] {10, 8}, values(r, 80, 0.5)))
        .addInitializer(OnnxProtos.floatTensor("fcb", new long[] {10}, values(r, 10, 0.1)))
        .addNode(node("Conv", "conv", new String[] {"image", "w", "b"}, "c")
            .addAttribute(ints("kernel_shape", 3, 3)).addAttribute(ints("pads", 1, 1, 1, 1)))
        .addNode(node("BatchNormalization", "bn", new String[] {"c", "scale", "shift", "mean", "var"}, "n"))
        .addNode(node("Relu", "relu", new String[] {"n"}, "r"))
        .addNode(node("GlobalAveragePool", "gap", new String[] {"r"}, "p"))
        .addNode(node("Flatten", "flatten", new String[] {"p"}, "f"))
        .addNode(node("Gemm", "fc", new String[] {"f", "fc", "fcb"}, "logits").addAttribute(
            OnnxMl.AttributeProto.newBuilder().setName("transB").setI(1).setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .addNode(node("Softmax", "softmax", new String[] {"logits"}, "probabilities"));
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }

  private static float[] values(SplittableRandom r, int n, double range) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * range);
    }
    return v;
  }

  private static float[] shifted(float[] v, float by) {
    for (int i = 0; i < v.length; i++) {
      v[i] += by;
    }
    return v;
  }

  private static OnnxMl.NodeProto.Builder node(String op, String name, String[] inputs, String output) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
    for (String i : inputs) {
      n.addInput(i);
    }
    return n;
  }

  private static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static OnnxMl.ValueInfoProto info(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }
}
