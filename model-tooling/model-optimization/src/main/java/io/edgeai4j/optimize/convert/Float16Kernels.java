package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.optimize.inspect.TensorProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds out by trying whether ONNX Runtime's CPU provider has a float16 kernel for a node: a model of that node
 * alone, its float tensors made float16, is loaded with graph optimizations off (so that nothing is folded away) and
 * the graph ONNX Runtime will run is saved: where the CPU provider has no float16 kernel, ONNX Runtime inserts Casts to
 * float32 around the node itself (its InsertCastTransformer), and those Casts are what this looks for. A refusal to
 * load counts as no kernel too. Stateless, thread-safe.
 */
final class Float16Kernels {
  private Float16Kernels() {}

  /** Null when ONNX Runtime CPU loads the node in float16; otherwise its message. */
  static String refusal(OnnxMl.ModelProto model, OnnxMl.NodeProto node, Map<String, TensorProbe.Tensor> tensors,
      Map<String, OnnxMl.TensorProto> initializers) {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("probe");
    Set<String> seen = new HashSet<>();
    for (String input : node.getInputList()) {
      if (input.isEmpty() || !seen.add(input)) {
        continue;
      }
      OnnxMl.TensorProto initializer = initializers.get(input);
      if (initializer != null) {
        graph.addInitializer(initializer.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()
            ? Float16Tensors.toFloat16(initializer, new long[1]) : initializer);
        continue;
      }
      TensorProbe.Tensor tensor = tensors.get(input);
      if (tensor == null) {
        return "the type of input '" + input + "' is unknown";
      }
      int type = tensor.elementType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()
          ? OnnxMl.TensorProto.DataType.FLOAT16.getNumber() : tensor.elementType();
      OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
      for (long d : tensor.shape()) {
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      graph.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(input).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))));
    }
    for (String output : node.getOutputList()) {
      if (!output.isEmpty()) {
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output));
      }
    }
    graph.addNode(node);
    byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
    long castsBefore = node.getOpType().equals("Cast") ? 1 : 0;
    Path optimized = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      optimized = Files.createTempFile("edgeai4j-fp16-kernel", ".onnx");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setOptimizedModelFilePath(optimized.toString());
      try (OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, options)) {
        session.getInputNames();
      }
      OnnxMl.ModelProto loaded = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized));
      long casts = loaded.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
      return casts > castsBefore ? "ONNX Runtime CPU has no float16 kernel for it (it inserts " + (casts - castsBefore)
          + " Casts to float32 around it)" : null;
    } catch (OrtException e) {
      String message = e.getMessage();
      int newline = message.indexOf('\n');
      return newline < 0 ? message : message.substring(0, newline);
    } catch (IOException e) {
      return "cannot read ONNX Runtime's optimized model: " + e;
    } finally {
      if (optimized != null) {
        try {
          Files.deleteIfExists(optimized);
        } catch (IOException ignored) {
          // A temporary file left behind; nothing else depends on it.
        }
      }
    }
  }
}
