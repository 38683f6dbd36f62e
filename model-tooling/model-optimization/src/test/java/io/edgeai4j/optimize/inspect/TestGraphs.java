package io.edgeai4j.optimize.inspect;

import ai.onnx.proto.OnnxMl;
import java.util.SplittableRandom;

/** Small ONNX graph builders for the toolkit's tests (real graphs, run by ONNX Runtime). */
public final class TestGraphs {
  private TestGraphs() {}

  /** A float32 value info; a dimension of -1 is the open dimension "batch". */
  public static OnnxMl.ValueInfoProto floatInfo(String name, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }

  /** A float32 initializer of seeded random values in [-1, 1). */
  public static OnnxMl.TensorProto randomTensor(String name, long seed, long... dims) {
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long i = 0; i < n; i++) {
      t.addFloatData((float) (random.nextDouble() * 2 - 1));
    }
    return t.build();
  }

  /** An int64 initializer. */
  public static OnnxMl.TensorProto int64Tensor(String name, long[] dims, long... values) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  /** A node; attributes from {@link #ints}, {@link #i}, {@link #f}. */
  public static OnnxMl.NodeProto node(String op, String name, String[] inputs, String[] outputs,
      OnnxMl.AttributeProto... attributes) {
    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name);
    for (String input : inputs) {
      node.addInput(input);
    }
    for (String output : outputs) {
      node.addOutput(output);
    }
    for (OnnxMl.AttributeProto a : attributes) {
      node.addAttribute(a);
    }
    return node.build();
  }

  public static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  public static OnnxMl.AttributeProto i(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  public static OnnxMl.AttributeProto f(String name, float value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  /** A model of the graph importing the default domain at {@code opset}, with a fitting IR version. */
  public static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder graph, long opset) {
    return OnnxMl.ModelProto.newBuilder().setIrVersion(opset <= 9 ? 4 : opset <= 11 ? 6 : 7)
        .setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(graph).build();
  }
}
