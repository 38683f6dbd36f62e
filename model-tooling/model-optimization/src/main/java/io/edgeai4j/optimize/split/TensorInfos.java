package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.optimize.inspect.TensorProbe;
import java.util.ArrayList;
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
    String openName = openDimensionName(model.getGraph());
    try {
      Map<String, TensorProbe.Tensor> one = TensorProbe.probe(model, names, 1);
      Map<String, TensorProbe.Tensor> two = TensorProbe.probe(model, names, 2);
      Map<String, OnnxMl.ValueInfoProto> infos = new LinkedHashMap<>();
      for (String name : names) {
        TensorProbe.Tensor a = one.get(name);
        TensorProbe.Tensor b = two.get(name);
        if (a == null || b == null) {
          throw new SplitException("tensor '" + name + "' is not a tensor ONNX Runtime returns: its type and shape"
              + " cannot be found (the model has no value_info for it)");
        }
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        long[] sa = a.shape();
        long[] sb = b.shape();
        for (int i = 0; i < sa.length; i++) {
          shape.addDim(sb.length == sa.length && sa[i] == sb[i]
              ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(sa[i])
              : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(openName));
        }
        infos.put(name, OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(a.elementType()).setShape(shape)))
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
}
