package io.edgeai4j.train.graph;

import ai.onnx.proto.OnnxMl;
import java.util.SplittableRandom;

/**
 * Small builders for the ONNX graphs the training recipes define (nodes, attributes, value infos, He-uniform initial
 * weights). Stateless, thread-safe.
 */
public final class GraphParts {
  private GraphParts() {}

  /** {@code n} values drawn uniformly from ±sqrt(6 / fanIn) (He et al.), in order from {@code random}. */
  public static float[] heUniform(SplittableRandom random, int n, int fanIn) {
    double bound = Math.sqrt(6.0 / fanIn);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return v;
  }

  /** A node of {@code op} named {@code name}, with {@code inputs} and one {@code output}. */
  public static OnnxMl.NodeProto.Builder node(String op, String name, String[] inputs, String output) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
    for (String i : inputs) {
      n.addInput(i);
    }
    return n;
  }

  /** An INT attribute. */
  public static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
  }

  /** An INTS attribute. */
  public static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** A fixed dimension. */
  public static OnnxMl.TensorShapeProto.Dimension dim(long value) {
    return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
  }

  /** A named (open) dimension. */
  public static OnnxMl.TensorShapeProto.Dimension dim(String param) {
    return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(param).build();
  }

  /** A float32 tensor's value info. */
  public static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorShapeProto.Dimension... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (OnnxMl.TensorShapeProto.Dimension d : dims) {
      shape.addDim(d);
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }
}
