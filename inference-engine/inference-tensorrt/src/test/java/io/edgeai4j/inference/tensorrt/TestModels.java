package io.edgeai4j.inference.tensorrt;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** ONNX models for the tests, written with ONNX's protobuf classes. */
final class TestModels {
  private TestModels() {}

  /**
   * {@code y = DequantizeLinear(QuantizeLinear(x))} on {@code x: float32[dims]} (-1 written as a symbolic dimension),
   * with the Q/DQ pair inside an {@code If} branch when {@code nested}.
   */
  static Path qdq(Path file, boolean nested, long... dims) throws IOException {
    OnnxMl.NodeProto q = OnnxMl.NodeProto.newBuilder().setOpType("QuantizeLinear").addInput("x").addInput("s")
        .addInput("z").addOutput("q").build();
    OnnxMl.NodeProto dq = OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear").addInput("q").addInput("s")
        .addInput("z").addOutput("y").build();
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("qdq")
        .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT, dims))
        .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, dims))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("s")
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(0.1f))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("z")
            .setDataType(OnnxMl.TensorProto.DataType.INT8.getNumber()).addInt32Data(0));
    if (nested) {
      OnnxMl.GraphProto branch = OnnxMl.GraphProto.newBuilder().setName("then").addNode(q).addNode(dq)
          .addOutput(value("y", OnnxMl.TensorProto.DataType.FLOAT, dims)).build();
      graph.addInput(value("c", OnnxMl.TensorProto.DataType.BOOL))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("If").addInput("c").addOutput("y")
              .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setG(branch)
                  .setType(OnnxMl.AttributeProto.AttributeType.GRAPH)));
    } else {
      graph.addNode(q).addNode(dq);
    }
    return write(file, graph);
  }

  /** {@code y = Relu(x)} with one input per entry of {@code inputs} ({@code name:dims}), e.g. {@code x:-1x3x-1}. */
  static Path relu(Path file, OnnxMl.TensorProto.DataType type, String... inputs) throws IOException {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("relu");
    for (String in : inputs) {
      String[] parts = in.split(":");
      String[] d = parts[1].split("x");
      long[] dims = new long[d.length];
      for (int i = 0; i < d.length; i++) {
        dims[i] = Long.parseLong(d[i]);
      }
      graph.addInput(value(parts[0], type, dims))
          .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput(parts[0]).addOutput(parts[0] + "_out"))
          .addOutput(value(parts[0] + "_out", type, dims));
    }
    return write(file, graph);
  }

  private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (int i = 0; i < dims.length; i++) {
      shape.addDim(dims[i] < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i)
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  private static Path write(Path file, OnnxMl.GraphProto.Builder graph) throws IOException {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
    return file;
  }
}
