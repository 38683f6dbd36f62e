package io.edgeai4j.inference.tensorrt;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the backend needs to know about an ONNX model before building an engine: its graph inputs (initializers
 * excluded) and whether it is explicitly quantized (QDQ: {@code QuantizeLinear}/{@code DequantizeLinear} nodes, which
 * TensorRT builds as INT8). Read with ONNX's protobuf classes, without ONNX Runtime or TensorRT.
 *
 * @param inputs The graph inputs, {@code -1} for a symbolic or missing dimension.
 * @param qdq Whether the graph (or a subgraph) has a Q/DQ node.
 */
record OnnxModelInfo(List<TensorSpec> inputs, boolean qdq) {
  OnnxModelInfo {
    inputs = List.copyOf(inputs);
  }

  /**
   * Reads {@code model}.
   *
   * @throws IOException The file cannot be read, is not an ONNX model, or has an input of a type this framework lacks
   *     (naming the file, the input and the type).
   */
  static OnnxModelInfo read(Path model) throws IOException {
    OnnxMl.ModelProto proto;
    try (InputStream in = Files.newInputStream(model)) {
      proto = OnnxMl.ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("model file " + model + " is not an ONNX model: " + e.getMessage(), e);
    }
    if (!proto.hasGraph()) {
      throw new IOException("model file " + model + " is not an ONNX model: it has no graph");
    }
    OnnxMl.GraphProto graph = proto.getGraph();
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<TensorSpec> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      if (!initializers.contains(v.getName())) {
        inputs.add(spec(model, v));
      }
    }
    return new OnnxModelInfo(inputs, hasQdq(graph));
  }

  private static boolean hasQdq(OnnxMl.GraphProto graph) {
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      if (node.getOpType().equals("QuantizeLinear") || node.getOpType().equals("DequantizeLinear")) {
        return true;
      }
      for (OnnxMl.AttributeProto a : node.getAttributeList()) {
        if (a.hasG() && hasQdq(a.getG())) {
          return true;
        }
        for (OnnxMl.GraphProto g : a.getGraphsList()) {
          if (hasQdq(g)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static TensorSpec spec(Path model, OnnxMl.ValueInfoProto v) throws IOException {
    if (!v.getType().hasTensorType()) {
      throw new IOException("model file " + model + ": input '" + v.getName() + "' is not a tensor");
    }
    OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
    ElementType type = elementType(t.getElemType());
    if (type == null) {
      throw new IOException("model file " + model + ": input '" + v.getName() + "' has ONNX element type "
          + t.getElemType() + ", expected one of " + ElementType.spellings());
    }
    long[] shape = new long[t.getShape().getDimCount()];
    for (int i = 0; i < shape.length; i++) {
      OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
      shape[i] = d.hasDimValue() ? d.getDimValue() : -1;
    }
    return new TensorSpec(v.getName(), type, shape);
  }

  /** The element type of an ONNX {@code TensorProto.DataType} number; null for one this framework lacks. */
  static ElementType elementType(int onnx) {
    return switch (onnx) {
      case 1 -> ElementType.FLOAT32;
      case 2 -> ElementType.UINT8;
      case 3 -> ElementType.INT8;
      case 6 -> ElementType.INT32;
      case 7 -> ElementType.INT64;
      case 9 -> ElementType.BOOL;
      case 10 -> ElementType.FLOAT16;
      case 11 -> ElementType.FLOAT64;
      case 16 -> ElementType.BFLOAT16;
      default -> null;
    };
  }
}
