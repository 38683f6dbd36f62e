package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.optimize.inspect.TensorProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts a float32 model to float16: float initializers (and Constant values) become float16, every node that
 * ONNX Runtime's CPU provider can run in float16 computes in float16, and the others are kept in float32 with Cast
 * nodes around them. Which nodes those are is found by trying each op type on ONNX Runtime ({@link Float16Kernels}).
 * Graph inputs and outputs stay float32 (Casts at the edges) unless {@code float16Io}. Stateless, thread-safe.
 */
public final class Float16Converter {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
  private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();
  /** Ops that take a tensor of either precision without a Cast. */
  private static final Set<String> EITHER = Set.of("Cast", "Shape", "Size");

  /**
   * The converted model and what the conversion decided.
   *
   * @param model The float16 model.
   * @param keptFloat32 Op types kept in float32, with ONNX Runtime's reason (its refusal of the float16 node).
   * @param float16Ops Op types that compute in float16.
   * @param casts Cast nodes added.
   * @param clamped Initializer values beyond float16's range (±65504) clamped to it.
   */
  public record Result(OnnxMl.ModelProto model, SortedMap<String, String> keptFloat32, List<String> float16Ops,
      int casts, long clamped) {}

  private Float16Converter() {}

  /**
   * Converts the model.
   *
   * @param float16Io Whether graph inputs and outputs become float16 too (otherwise they stay float32).
   * @throws ConversionException When ONNX Runtime cannot run the source model (types are found by one run), it has
   *     no float32 tensor, or it keeps weights in external files.
   */
  public static Result convert(OnnxMl.ModelProto model, boolean float16Io) throws ConversionException {
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, TensorProbe.Tensor> tensors;
    try {
      tensors = TensorProbe.probe(model);
    } catch (OrtException | RuntimeException e) {
      throw new ConversionException("ONNX Runtime cannot run the model on zero inputs to find its tensor types: "
          + e.getMessage(), e);
    }
    Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
        throw new ConversionException("initializer '" + t.getName() + "' is stored in an external file; --fp16"
            + " converts models whose weights are inside the .onnx file");
      }
      initializers.put(t.getName(), t);
    }
    Set<String> floats = new HashSet<>();
    tensors.forEach((name, t) -> {
      if (t.elementType() == FLOAT) {
        floats.add(name);
      }
    });
    initializers.forEach((name, t) -> {
      if (t.getDataType() == FLOAT) {
        floats.add(name);
      }
    });
    if (floats.isEmpty()) {
      throw new ConversionException("the model has no float32 tensor to convert");
    }

    // Pass 1: the precision of each node and the precision each float tensor is produced in.
    Map<String, Boolean> home = new HashMap<>();
    Set<String> graphInputs = new HashSet<>();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (!initializers.containsKey(input.getName())) {
        graphInputs.add(input.getName());
        home.put(input.getName(), float16Io);
      }
    }
    initializers.keySet().stream().filter(floats::contains).forEach(name -> home.put(name, true));
    Map<String, Optional<String>> refusals = new HashMap<>();
    SortedMap<String, String> kept = new TreeMap<>();
    Set<String> float16Ops = new TreeSet<>();
    List<Boolean> nodeFloat16 = new ArrayList<>();
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      boolean touchesFloat = node.getInputList().stream().anyMatch(floats::contains)
          || node.getOutputList().stream().anyMatch(floats::contains);
      boolean float16;
      if (!touchesFloat || EITHER.contains(node.getOpType())) {
        float16 = true;
      } else if (node.getOpType().equals("Constant")) {
        OnnxMl.AttributeProto value = NodeRewriter.attribute(node, "value");
        float16 = value != null && value.getT().getDataType() == FLOAT;
      } else if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
        float16 = false;
        kept.put(node.getDomain() + "." + node.getOpType(), "an op outside the default domain is left as it is");
      } else {
        Optional<String> refusal = refusals.computeIfAbsent(node.getOpType(),
            op -> Optional.ofNullable(Float16Kernels.refusal(model, node, tensors, initializers)));
        float16 = refusal.isEmpty();
        refusal.ifPresent(reason -> kept.put(node.getOpType(), reason));
      }
      if (touchesFloat && float16 && !EITHER.contains(node.getOpType())) {
        float16Ops.add(node.getOpType());
      }
      nodeFloat16.add(float16);
      for (String output : node.getOutputList()) {
        if (floats.contains(output)) {
          home.put(output, float16);
        }
      }
    }

    // Graph outputs produced in the other precision than asked: the producer writes an internal name, a Cast the output.
    Map<String, String> renamed = new HashMap<>();
    NodeRewriter rewriter = new NodeRewriter(graph);
    List<OnnxMl.NodeProto> tail = new ArrayList<>();
    for (OnnxMl.ValueInfoProto output : graph.getOutputList()) {
      String y = output.getName();
      if (floats.contains(y) && !graphInputs.contains(y) && home.get(y) != float16Io) {
        String internal = rewriter.unique(y + (home.get(y) ? "_fp16" : "_fp32"));
        renamed.put(y, internal);
        home.put(internal, home.get(y));
        tail.add(cast(rewriter, y, internal, float16Io));
      }
    }

    // Pass 2: the nodes, with Casts where a tensor's precision differs from what its consumer computes in.
    long[] clamped = new long[1];
    Map<String, String> casted = new HashMap<>();
    List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    for (int n = 0; n < graph.getNodeCount(); n++) {
      OnnxMl.NodeProto node = graph.getNode(n);
      boolean float16 = nodeFloat16.get(n);
      OnnxMl.NodeProto.Builder b = node.toBuilder();
      for (int i = 0; i < b.getInputCount(); i++) {
        String input = renamed.getOrDefault(b.getInput(i), b.getInput(i));
        b.setInput(i, input);
        if (!floats.contains(node.getInput(i)) || EITHER.contains(node.getOpType())
            || home.get(input) == float16) {
          continue;
        }
        String key = input + (float16 ? "->fp16" : "->fp32");
        String converted = casted.get(key);
        if (converted == null) {
          converted = rewriter.unique(input + (float16 ? "_fp16" : "_fp32"));
          casted.put(key, converted);
          nodes.add(cast(rewriter, converted, input, float16));
        }
        b.setInput(i, converted);
      }
      for (int o = 0; o < b.getOutputCount(); o++) {
        b.setOutput(o, renamed.getOrDefault(b.getOutput(o), b.getOutput(o)));
      }
      if (node.getOpType().equals("Cast") && float16) {
        OnnxMl.AttributeProto to = NodeRewriter.attribute(node, "to");
        if (to != null && to.getI() == FLOAT) {
          b = NodeRewriter.without(b.build(), "to").addAttribute(to.toBuilder().setI(FLOAT16));
          home.put(node.getOutput(0), true);
        }
      }
      if (node.getOpType().equals("Constant") && float16) {
        OnnxMl.AttributeProto value = NodeRewriter.attribute(node, "value");
        b = NodeRewriter.without(b.build(), "value")
            .addAttribute(value.toBuilder().setT(Float16Tensors.toFloat16(value.getT(), clamped)));
      }
      nodes.add(b.build());
    }
    nodes.addAll(tail);

    OnnxMl.GraphProto.Builder converted = graph.toBuilder().clearNode().addAllNode(nodes).clearValueInfo()
        .clearInitializer();
    for (OnnxMl.TensorProto t : initializers.values()) {
      converted.addInitializer(t.getDataType() == FLOAT ? Float16Tensors.toFloat16(t, clamped) : t);
    }
    if (float16Io) {
      for (int i = 0; i < converted.getInputCount(); i++) {
        retype(converted.getInputBuilder(i));
      }
      for (int i = 0; i < converted.getOutputCount(); i++) {
        retype(converted.getOutputBuilder(i));
      }
    }
    int casts = (int) nodes.stream().filter(n -> n.getOpType().equals("Cast")).count()
        - (int) graph.getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
    return new Result(model.toBuilder().setGraph(converted).build(), kept, List.copyOf(float16Ops), casts,
        clamped[0]);
  }

  private static void retype(OnnxMl.ValueInfoProto.Builder info) {
    if (info.getType().getTensorType().getElemType() == FLOAT) {
      info.getTypeBuilder().getTensorTypeBuilder().setElemType(FLOAT16);
    }
  }

  private static OnnxMl.NodeProto cast(NodeRewriter rewriter, String output, String input, boolean toFloat16) {
    return OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName(rewriter.unique("cast_" + output))
        .addInput(input).addOutput(output).addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(toFloat16 ? FLOAT16 : FLOAT)).build();
  }
}
