package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds each inference-mode BatchNormalization that directly follows a Conv into that Conv's weights and bias:
 * {@code w' = w * scale / sqrt(var + eps)} per output channel, {@code b' = (b - mean) * scale / sqrt(var + eps) + B}.
 * The BatchNormalization node goes; the Conv writes its output. A Conv whose output something else also reads, or
 * whose parameters are not initializers, is left as it is. Stateless, thread-safe.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  /** The model with every foldable Conv → BatchNormalization pair folded (the model itself when there is none). */
  public static OnnxMl.ModelProto fold(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto graph = model.getGraph();
    Tensors tensors = new Tensors(graph);
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    Map<String, Integer> readers = new HashMap<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      n.getOutputList().forEach(o -> producer.put(o, n));
      n.getInputList().forEach(i -> readers.merge(i, 1, Integer::sum));
    }
    graph.getOutputList().forEach(o -> readers.merge(o.getName(), 1, Integer::sum));
    Map<String, OnnxMl.NodeProto> newConv = new HashMap<>();
    List<OnnxMl.NodeProto> gone = new ArrayList<>();
    List<OnnxMl.TensorProto> added = new ArrayList<>();
    for (OnnxMl.NodeProto bn : graph.getNodeList()) {
      if (!bn.getOpType().equals("BatchNormalization") || bn.getOutputCount() != 1 || bn.getInputCount() != 5
          || OnnxProtos.intAttribute(bn, "training_mode", 0) != 0) {
        continue;
      }
      OnnxMl.NodeProto conv = producer.get(bn.getInput(0));
      if (conv == null || !conv.getOpType().equals("Conv") || readers.get(bn.getInput(0)) != 1
          || !tensors.isFloat(conv.getInput(1)) || conv.getInputCount() > 2 && !tensors.isFloat(conv.getInput(2))
          || !bn.getInputList().subList(1, 5).stream().allMatch(tensors::isFloat)) {
        continue;
      }
      long[] wDims = tensors.dims(conv.getInput(1));
      float[] w = tensors.values(conv.getInput(1));
      int out = (int) wDims[0];
      float[] b = conv.getInputCount() > 2 ? tensors.values(conv.getInput(2)) : new float[out];
      float[] scale = tensors.values(bn.getInput(1));
      float[] shift = tensors.values(bn.getInput(2));
      float[] mean = tensors.values(bn.getInput(3));
      float[] var = tensors.values(bn.getInput(4));
      double eps = OnnxProtos.floatAttribute(bn, "epsilon", 1e-5f);
      int per = w.length / out;
      float[] fw = new float[w.length];
      float[] fb = new float[out];
      for (int o = 0; o < out; o++) {
        double k = scale[o] / Math.sqrt(var[o] + eps);
        for (int j = 0; j < per; j++) {
          fw[o * per + j] = (float) (w[o * per + j] * k);
        }
        fb[o] = (float) ((b[o] - mean[o]) * k + shift[o]);
      }
      String wName = conv.getInput(1) + "_bn_folded";
      String bName = (conv.getInputCount() > 2 ? conv.getInput(2) : conv.getOutput(0) + "_bias") + "_bn_folded";
      added.add(OnnxProtos.floatTensor(wName, wDims, fw));
      added.add(OnnxProtos.floatTensor(bName, new long[] {out}, fb));
      OnnxMl.NodeProto.Builder c = conv.toBuilder().clearInput().addInput(conv.getInput(0)).addInput(wName)
          .addInput(bName).setOutput(0, bn.getOutput(0));
      newConv.put(conv.getOutput(0), c.build());
      gone.add(bn);
    }
    if (gone.isEmpty()) {
      return model;
    }
    OnnxMl.GraphProto.Builder g = graph.toBuilder().clearNode().clearValueInfo();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      if (gone.contains(n)) {
        continue;
      }
      g.addNode(n.getOpType().equals("Conv") ? newConv.getOrDefault(n.getOutput(0), n) : n);
    }
    Map<String, OnnxMl.TensorProto> old = new java.util.LinkedHashMap<>();
    graph.getInitializerList().forEach(t -> old.put(t.getName(), t));
    OnnxProtos.replaceInitializers(g, old, added);
    return model.toBuilder().setGraph(g).build();
  }
}
