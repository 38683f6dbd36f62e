package io.edgeai4j.inference.testing;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes real ONNX models whose input and output are 16-bit floats: {@code y = cast(cast(x, float) * factor, T)} with
 * {@code x: T[batch, width]} and {@code y: T[batch, width]}, T {@code float16} or {@code bfloat16} (ONNX Runtime's CPU
 * provider casts both ways; the arithmetic runs in float32). Stateless.
 */
public final class HalfFloatModels {
  /** The input's name. */
  public static final String INPUT = "x";
  /** The output's name. */
  public static final String OUTPUT = "y";

  private HalfFloatModels() {}

  /** Writes the float16 model. */
  public static Path float16(Path file, int width, float factor) throws IOException {
    return write(file, OnnxMl.TensorProto.DataType.FLOAT16, width, factor);
  }

  /** Writes the bfloat16 model. */
  public static Path bfloat16(Path file, int width, float factor) throws IOException {
    return write(file, OnnxMl.TensorProto.DataType.BFLOAT16, width, factor);
  }

  private static Path write(Path file, OnnxMl.TensorProto.DataType type, int width, float factor) throws IOException {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("half-" + type.name().toLowerCase())
        .addInput(value(INPUT, type, width))
        .addOutput(value(OUTPUT, type, width))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("factor")
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(factor))
        .addNode(cast(INPUT, "x32", OnnxMl.TensorProto.DataType.FLOAT))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").addInput("x32").addInput("factor").addOutput("y32"))
        .addNode(cast("y32", OUTPUT, type))
        .build();
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeai4j-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
    return file;
  }

  private static OnnxMl.NodeProto.Builder cast(String from, String to, OnnxMl.TensorProto.DataType type) {
    return OnnxMl.NodeProto.newBuilder().setOpType("Cast").addInput(from).addOutput(to)
        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to").setI(type.getNumber())
            .setType(OnnxMl.AttributeProto.AttributeType.INT));
  }

  private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, int width) {
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }
}
