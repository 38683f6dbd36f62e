package io.edgeai4j.optimize.inspect;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The element type and shape of every tensor of a graph, found by running ONNX Runtime (CPU) once on zero-filled
 * inputs with every intermediate tensor added as a graph output; open dimensions are set to 1 (one row). Stateless,
 * thread-safe.
 */
public final class TensorProbe {
  /** One tensor: its ONNX element type ({@code TensorProto.DataType} number) and concrete shape. */
  public record Tensor(int elementType, long[] shape) {
    /** The number of elements. */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private TensorProbe() {}

  /**
   * Runs the model once; the map holds every graph input and every node output that is a tensor, by name
   * (initializers are not in it: their shapes are in the graph).
   *
   * @throws OrtException When ONNX Runtime cannot load or run the model on zero inputs (its own message).
   */
  public static Map<String, Tensor> probe(OnnxMl.ModelProto model) throws OrtException {
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
    Set<String> outputs = new HashSet<>();
    for (OnnxMl.ValueInfoProto output : graph.getOutputList()) {
      outputs.add(output.getName());
    }
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      for (String output : node.getOutputList()) {
        if (!output.isEmpty() && outputs.add(output)) {
          graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output));
        }
      }
    }
    return run(model.toBuilder().setGraph(graph).build(), 1);
  }

  /**
   * Runs the model once with just {@code names} as its outputs and every open input dimension set to
   * {@code openDimension}; the map holds the graph inputs and those of {@code names} that are tensors.
   *
   * @throws OrtException When ONNX Runtime cannot load or run the model on zero inputs (its own message).
   */
  public static Map<String, Tensor> probe(OnnxMl.ModelProto model, Collection<String> names, long openDimension)
      throws OrtException {
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder().clearOutput();
    new LinkedHashSet<>(names).forEach(n -> graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(n)));
    return run(model.toBuilder().setGraph(graph).build(), openDimension);
  }

  private static Map<String, Tensor> run(OnnxMl.ModelProto model, long openDimension) throws OrtException {
    byte[] bytes = model.toByteArray();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<OnnxTensor> inputs = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(bytes, options)) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
          if (!(input.getValue().getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException("input '" + input.getKey() + "' is not a tensor: "
                + input.getValue().getInfo());
          }
          long[] shape = info.getShape().clone();
          for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? openDimension : shape[i];
          }
          OnnxTensor tensor = zeros(environment, info.type, shape);
          inputs.add(tensor);
          feed.put(input.getKey(), tensor);
          tensors.put(input.getKey(), new Tensor(elementType(info), shape));
        }
        try (OrtSession.Result result = session.run(feed)) {
          for (Map.Entry<String, OnnxValue> entry : result) {
            if (entry.getValue() instanceof OnnxTensor tensor) {
              TensorInfo info = tensor.getInfo();
              tensors.put(entry.getKey(), new Tensor(elementType(info), info.getShape()));
            }
          }
        }
      }
    } finally {
      inputs.forEach(OnnxTensor::close);
    }
    return tensors;
  }

  /** ONNX's element type number ({@code TensorProto.DataType}) of ONNX Runtime's tensor type, by name. */
  private static int elementType(TensorInfo info) {
    String name = info.onnxType.name().substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length());
    try {
      return OnnxMl.TensorProto.DataType.valueOf(name).getNumber();
    } catch (IllegalArgumentException e) {
      return OnnxMl.TensorProto.DataType.UNDEFINED.getNumber();
    }
  }

  private static OnnxTensor zeros(OrtEnvironment environment, OnnxJavaType type, long[] shape) throws OrtException {
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    if (type == OnnxJavaType.STRING) {
      String[] empty = new String[Math.toIntExact(elements)];
      Arrays.fill(empty, "");
      return OnnxTensor.createTensor(environment, empty, shape);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(elements * type.size)).order(ByteOrder.nativeOrder());
    return OnnxTensor.createTensor(environment, buffer, shape, type);
  }
}
