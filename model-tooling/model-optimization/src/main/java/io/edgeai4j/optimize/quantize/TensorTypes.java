package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which tensors of a model are float32, as ONNX Runtime infers them: the candidates are added as graph outputs without
 * a type to a copy of the model, and the session ONNX Runtime builds from it reports their types. Shape arithmetic
 * (int64 Mul, Concat of shapes) is so told apart from the float tensors quantization is for. Stateless.
 */
final class TensorTypes {
  private TensorTypes() {}

  static Set<String> floats(OnnxMl.ModelProto model, Collection<String> candidates) throws QuantizationException {
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
    Set<String> outputs = new HashSet<>();
    graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    for (String name : candidates) {
      if (!outputs.contains(name)) {
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name));
        outputs.add(name);
      }
    }
    byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
    Set<String> floats = new HashSet<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, options)) {
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
          if (e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
            floats.add(e.getKey());
          }
        }
      }
    } catch (OrtException e) {
      throw new QuantizationException("ONNX Runtime cannot load the model to find its tensors' types: "
          + e.getMessage(), e);
    }
    // Graph inputs are not outputs of the session; their declared type decides.
    for (OnnxMl.ValueInfoProto in : model.getGraph().getInputList()) {
      if (in.getType().getTensorType().getElemType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
        floats.add(in.getName());
      }
    }
    return floats;
  }
}
