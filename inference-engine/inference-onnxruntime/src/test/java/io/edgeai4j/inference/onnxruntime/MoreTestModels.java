package io.edgeai4j.inference.onnxruntime;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** ONNX models these tests need beyond {@code OnnxTestModels}: several inputs, int64, fixed and open shapes. */
final class MoreTestModels {
  private MoreTestModels() {}

  /** {@code y = a * float(n)}: {@code a: float32[batch, 2]}, {@code n: int64[batch, 1]}, {@code y: float32[batch, 2]}. */
  static Path scaledByCount(Path file) throws IOException {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("scaled")
        .addInput(value("a", OnnxMl.TensorProto.DataType.FLOAT, "batch", 2))
        .addInput(value("n", OnnxMl.TensorProto.DataType.INT64, "batch", 1))
        .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, "batch", 2))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Cast").addInput("n").addOutput("nf")
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to").setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber())))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").addInput("a").addInput("nf").addOutput("y"))
        .build();
    return write(file, graph);
  }

  /** {@code y = Relu(x)} on {@code float32[1, 4]}: no open dimension at all. */
  static Path fixedBatch(Path file) throws IOException {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("fixed")
        .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT, 1, 4))
        .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, 1, 4))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
        .build();
    return write(file, graph);
  }

  /**
   * {@code y = x W} with {@code W: [4, 3]} of ones but {@code x: float32[batch, width]} left open, so a width other
   * than 4 passes validation and fails inside ONNX Runtime.
   */
  static Path openWidth(Path file) throws IOException {
    OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("W").addDims(4).addDims(3)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    for (int i = 0; i < 12; i++) {
      w.addFloatData(1f);
    }
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("open")
        .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT, "batch", "width"))
        .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, "batch", 3))
        .addInitializer(w)
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("W").addOutput("y"))
        .build();
    return write(file, graph);
  }

  /** {@code y = Identity(x)} where the output's first dimension is named {@code rows}, unrelated to the input's. */
  static Path unrelatedOutputDim(Path file) throws IOException {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("identity")
        .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT, "batch", 4))
        .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, "rows", 4))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
        .build();
    return write(file, graph);
  }

  private static Path write(Path file, OnnxMl.GraphProto graph) throws IOException {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
    return file;
  }

  /** A tensor value; each dimension is a size (Number) or a symbol (String). */
  private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (Object d : dims) {
      OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Number n) {
        dim.setDimValue(n.longValue());
      } else {
        dim.setDimParam((String) d);
      }
      shape.addDim(dim);
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }
}
