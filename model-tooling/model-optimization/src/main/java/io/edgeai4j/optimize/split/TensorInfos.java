package io.edgeai4j.optimize.split;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The element type and shape of the tensors at a split's boundaries: from the model's own inputs, outputs and
 * value_info where they give both, else from ONNX Runtime (CPU) run twice on zero inputs with those tensors made
 * outputs, open input dimensions set to 1 then 2: a dimension that follows them stays open, named as the input's
 * (e.g. {@code batch}). Stateless, thread-safe.
 */
final class TensorInfos {
  private TensorInfos() {}

  /** The value info of each of {@code names}, by name. */
  static Map<String, OnnxMl.ValueInfoProto> resolve(OnnxMl.ModelProto model, Collection<String> names)
      throws SplitException {
    OnnxMl.GraphProto g = model.getGraph();
    Map<String, OnnxMl.ValueInfoProto> known = new HashMap<>();
    for (List<OnnxMl.ValueInfoProto> list : List.of(g.getValueInfoList(), g.getOutputList(), g.getInputList())) {
      for (OnnxMl.ValueInfoProto v : list) {
        if (complete(v)) {
          known.put(v.getName(), v);
        }
      }
    }
    Map<String, OnnxMl.ValueInfoProto> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (known.containsKey(name)) {
        found.put(name, known.get(name));
      } else if (!missing.contains(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      found.putAll(probe(model, missing));
    }
    return found;
  }

  private static boolean complete(OnnxMl.ValueInfoProto v) {
    return v.hasType() && v.getType().hasTensorType() && v.getType().getTensorType().getElemType() != 0
        && v.getType().getTensorType().hasShape();
  }

  private static Map<String, OnnxMl.ValueInfoProto> probe(OnnxMl.ModelProto model, List<String> names)
      throws SplitException {
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder().clearOutput();
    names.forEach(n -> graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(n)));
    byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
    String openName = openDimensionName(model.getGraph());
    try {
      Map<String, TensorInfo> one = run(bytes, 1);
      Map<String, TensorInfo> two = run(bytes, 2);
      Map<String, OnnxMl.ValueInfoProto> infos = new LinkedHashMap<>();
      for (String name : names) {
        TensorInfo a = one.get(name);
        TensorInfo b = two.get(name);
        if (a == null || b == null) {
          throw new SplitException("tensor '" + name + "' is not a tensor ONNX Runtime returns: its type and shape"
              + " cannot be found (the model has no value_info for it)");
        }
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        long[] sa = a.getShape();
        long[] sb = b.getShape();
        for (int i = 0; i < sa.length; i++) {
          shape.addDim(sb.length == sa.length && sa[i] == sb[i]
              ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(sa[i])
              : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(openName));
        }
        infos.put(name, OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elementType(a)).setShape(shape)))
            .build());
      }
      return infos;
    } catch (OrtException e) {
      throw new SplitException("cannot find the shapes of " + names + " (the model has no value_info for them):"
          + " ONNX Runtime cannot run the model on zero inputs: " + e.getMessage(), e);
    }
  }

  /** The name of the graph inputs' first open dimension ({@code batch} when it has none). */
  private static String openDimensionName(OnnxMl.GraphProto g) {
    for (OnnxMl.ValueInfoProto in : g.getInputList()) {
      for (OnnxMl.TensorShapeProto.Dimension d : in.getType().getTensorType().getShape().getDimList()) {
        if (!d.getDimParam().isEmpty()) {
          return d.getDimParam();
        }
      }
    }
    return "batch";
  }

  private static Map<String, TensorInfo> run(byte[] model, long open) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    Map<String, TensorInfo> shapes = new HashMap<>();
    List<OnnxTensor> inputs = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(model, options)) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
          if (!(input.getValue().getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException("input '" + input.getKey() + "' is not a tensor: "
                + input.getValue().getInfo());
          }
          long[] shape = info.getShape().clone();
          for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? open : shape[i];
          }
          OnnxTensor tensor = zeros(environment, info.type, shape);
          inputs.add(tensor);
          feed.put(input.getKey(), tensor);
        }
        try (OrtSession.Result result = session.run(feed)) {
          for (Map.Entry<String, OnnxValue> entry : result) {
            if (entry.getValue() instanceof OnnxTensor tensor) {
              shapes.put(entry.getKey(), tensor.getInfo());
            }
          }
        }
      }
    } finally {
      inputs.forEach(OnnxTensor::close);
    }
    return shapes;
  }

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
