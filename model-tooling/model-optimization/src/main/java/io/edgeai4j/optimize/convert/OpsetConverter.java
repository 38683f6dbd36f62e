package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.optimize.inspect.TensorProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Upgrades the default ONNX domain's opset of a model, rewriting the nodes whose op changed between the two
 * versions where the change matters (attributes that became inputs, Softmax's axis semantics, removed attributes),
 * and refusing, with the op, the node and both opsets named, any op whose change it does not carry. Downgrades are
 * refused. Other domains are left as they are. Stateless, thread-safe.
 */
public final class OpsetConverter {
  /** The highest opset it upgrades to. */
  public static final int MAX_OPSET = 21;

  /** The ONNX IR version each opset needs at least (ONNX's release table), by opset. */
  private static final long[] IR_FOR_OPSET = {3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 7, 7, 8, 8, 8, 8, 9, 9, 10};

  private OpsetConverter() {}

  /** The model's default-domain opset version. */
  public static long opset(OnnxMl.ModelProto model) throws ConversionException {
    for (OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList()) {
      if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
        return opset.getVersion();
      }
    }
    throw new ConversionException("the model imports no default-domain (ai.onnx) opset");
  }

  /**
   * Upgrades the model to {@code target}; a model already at it comes back unchanged.
   *
   * @throws ConversionException On a downgrade, a target above {@link #MAX_OPSET}, or an op whose change is not
   *     carried (the message names the op, the node, the version of the change and both opsets).
   */
  public static OnnxMl.ModelProto upgrade(OnnxMl.ModelProto model, int target) throws ConversionException {
    long from = opset(model);
    if (target < from) {
      throw new ConversionException("--opset " + target + " is below the model's opset " + from
          + ": downgrades are not supported");
    }
    if (target > MAX_OPSET) {
      throw new ConversionException("--opset " + target + " is above " + MAX_OPSET + ", the highest opset convert"
          + " upgrades to");
    }
    if (target == from) {
      return model;
    }
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, TensorProbe.Tensor> probed;
    try {
      probed = TensorProbe.probe(model);
    } catch (OrtException | RuntimeException e) {
      probed = Map.of();
    }
    Map<String, TensorProbe.Tensor> tensors = probed;
    OpsetChanges.Ranks ranks = name -> {
      TensorProbe.Tensor t = tensors.get(name);
      return t == null ? -1 : t.shape().length;
    };
    NodeRewriter rewriter = new NodeRewriter(graph);
    List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    int index = 0;
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      String label = "node '" + (node.getName().isEmpty() ? node.getOpType() + " #" + index : node.getName()) + "'";
      index++;
      if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
        nodes.add(node);
        continue;
      }
      Map<Integer, OpsetChanges.Change> changes = OpsetChanges.between(node.getOpType(), from, target);
      if (changes == null) {
        throw new ConversionException("op " + node.getOpType() + " (" + label + ") is not among the ops convert"
            + " carries from opset " + from + " to " + target + " (" + String.join(", ",
            new TreeSet<>(OpsetChanges.ops())) + ")");
      }
      List<OnnxMl.NodeProto> current = List.of(node);
      for (Map.Entry<Integer, OpsetChanges.Change> change : changes.entrySet()) {
        if (change.getValue() == null) {
          throw new ConversionException("op " + node.getOpType() + " (" + label + ") changed at opset "
              + change.getKey() + ", between opset " + from + " and " + target + ", in a way convert does not"
              + " carry");
        }
        List<OnnxMl.NodeProto> next = new ArrayList<>();
        for (OnnxMl.NodeProto n : current) {
          if (n.getOpType().equals(node.getOpType())) {
            try {
              next.addAll(change.getValue().apply(n, rewriter, ranks));
            } catch (ConversionException e) {
              throw new ConversionException("op " + node.getOpType() + " (" + label + "), changed at opset "
                  + change.getKey() + " between opset " + from + " and " + target + ": " + e.getMessage(), e);
            }
          } else {
            next.add(n);
          }
        }
        current = next;
      }
      nodes.addAll(current);
    }
    OnnxMl.GraphProto.Builder upgraded = graph.toBuilder().clearNode().addAllNode(nodes)
        .addAllInitializer(rewriter.initializers);
    OnnxMl.ModelProto.Builder result = model.toBuilder().setGraph(upgraded).clearOpsetImport();
    for (OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList()) {
      boolean main = opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx");
      result.addOpsetImport(main ? opset.toBuilder().setVersion(target).build() : opset);
    }
    result.setIrVersion(Math.max(model.getIrVersion(), IR_FOR_OPSET[target]));
    return result.build();
  }
}
