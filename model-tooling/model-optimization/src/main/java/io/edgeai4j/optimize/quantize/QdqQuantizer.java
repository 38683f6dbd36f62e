package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static post-training quantization to a QDQ model, as ONNX Runtime's {@code quantize_static} writes it: a
 * QuantizeLinear/DequantizeLinear pair on each float tensor a quantized op reads or writes (scale and zero point from
 * calibration), weights stored as int8 initializers feeding a DequantizeLinear, Conv and Gemm biases as int32 with
 * scale {@code input scale x weight scale}. ONNX Runtime CPU fuses the pairs into int8 kernels. Reshape, Flatten,
 * Transpose and MaxPool are quantized only when their input is, and share its parameters; with asymmetric activations
 * a Relu right after a quantized op is folded into that op's output quantization, as ONNX Runtime does; Softmax and
 * every other op stay float. Stateless, thread-safe.
 */
public final class QdqQuantizer {
  /** Ops quantized with their own calibrated ranges: op type, then which inputs are tensors to quantize (none listed: all). */
  private static final Map<String, int[]> QUANTIZED = Map.ofEntries(Map.entry("Conv", new int[] {0, 1}),
      Map.entry("MatMul", new int[] {0, 1}), Map.entry("Gemm", new int[] {0, 1}), Map.entry("Add", new int[] {0, 1}),
      Map.entry("Mul", new int[] {0, 1}), Map.entry("Relu", new int[] {0}), Map.entry("Clip", new int[] {0}),
      Map.entry("Sigmoid", new int[] {0}), Map.entry("AveragePool", new int[] {0}),
      Map.entry("GlobalAveragePool", new int[] {0}), Map.entry("Concat", new int[0]));
  /** Ops that only move values: quantized when their input is, their output sharing its scale and zero point. */
  private static final Set<String> DIRECT = Set.of("Reshape", "Flatten", "Transpose", "MaxPool");
  /** The ops whose inputs carry Q/DQ for TensorRT (its explicit-quantization placement). */
  private static final Set<String> WEIGHTED_OR_JOINING = Set.of("Conv", "MatMul", "Gemm", "Add", "Mul", "Concat",
      "AveragePool", "GlobalAveragePool");

  /** What a quantization did. */
  public record Result(OnnxMl.ModelProto model, long opsetBefore, long opsetAfter, int quantizedNodes,
      List<String> excludedNodes, int quantizeLinear, int dequantizeLinear, int foldedRelus,
      Map<String, TensorRange> ranges) {}

  private QdqQuantizer() {}

  /**
   * @param progress Calibration's progress bar (stderr in the CLI); null for none.
   * @throws QuantizationException When the model cannot be quantized as asked (the message names the op or the data).
   */
  public static Result quantize(OnnxMl.ModelProto model, TestDataSets calibration, QuantizeOptions options,
      PrintWriter progress) throws QuantizationException {
    Exclusions.check(model.getGraph(), options.exclude());
    long before = Opsets.version(model);
    if (options.weightsPerChannel()) {
      model = Opsets.atLeast(model, 13, options.target() == Target.TENSORRT ? "target tensorrt (per-channel weights)"
          : "per-channel quantization (DequantizeLinear's axis)");
    } else {
      // As ONNX Runtime: a model below opset 10 (no QuantizeLinear) is raised to 11.
      model = Opsets.atLeast(model, before < 10 ? 11 : 10, "QuantizeLinear");
    }
    Set<String> candidates = new LinkedHashSet<>();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (node.getDomain().isEmpty() && (QUANTIZED.containsKey(node.getOpType()) || DIRECT.contains(node.getOpType()))) {
        node.getInputList().stream().filter(n -> !n.isEmpty()).forEach(candidates::add);
        candidates.add(node.getOutput(0));
      }
    }
    Plan plan = Plan.of(model.getGraph(), options, TensorTypes.floats(model, candidates));
    if (plan.nodes.isEmpty()) {
      throw new QuantizationException("no node to quantize: the model has none of the ops " + supported()
          + " outside --exclude " + options.exclude());
    }
    Map<String, TensorRange> ranges = Calibrator.calibrate(model, new ArrayList<>(plan.activations), calibration,
        options.method(), progress);
    Rewrite rewrite = new Rewrite(model.getGraph(), options, plan, ranges);
    OnnxMl.GraphProto graph = rewrite.run();
    OnnxMl.ModelProto out = model.toBuilder().setGraph(graph).build();
    return new Result(out, before, Opsets.version(out), plan.nodes.size(), plan.excluded, rewrite.quantizeCount,
        rewrite.dequantizeCount, plan.folded.size(), ranges);
  }

  /**
   * Weight-only int8: the float weights of Conv, MatMul and Gemm stored as int8 initializers behind a
   * DequantizeLinear (per tensor, or per channel with opset 13), activations and biases left in float; no calibration
   * data. The file shrinks about 4x; ONNX Runtime computes in float after dequantizing the weights once.
   *
   * @throws QuantizationException When the model has no such weight, or per channel cannot get opset 13.
   */
  public static Result weightOnly(OnnxMl.ModelProto model, QuantizeOptions options) throws QuantizationException {
    Exclusions.check(model.getGraph(), options.exclude());
    long before = Opsets.version(model);
    model = options.weightsPerChannel()
        ? Opsets.atLeast(model, 13, "per-channel quantization (DequantizeLinear's axis)")
        : Opsets.atLeast(model, before < 10 ? 11 : 10, "DequantizeLinear");
    Plan plan = Plan.weights(model.getGraph(), options);
    if (plan.nodes.isEmpty()) {
      throw new QuantizationException("no weight to quantize: the model has no Conv, MatMul or Gemm with a float"
          + " initializer weight outside --exclude " + options.exclude());
    }
    Rewrite rewrite = new Rewrite(model.getGraph(), options, plan, Map.of());
    OnnxMl.ModelProto out = model.toBuilder().setGraph(rewrite.run()).build();
    return new Result(out, before, Opsets.version(out), plan.nodes.size(), plan.excluded, rewrite.quantizeCount,
        rewrite.dequantizeCount, 0, Map.of());
  }

  static List<String> supported() {
    List<String> ops = new ArrayList<>(QUANTIZED.keySet());
    ops.addAll(DIRECT);
    ops.sort(null);
    return ops;
  }

  /** Which nodes, activations and weights get quantized. */
  private static final class Plan {
    final Set<Integer> nodes = new LinkedHashSet<>();
    final List<String> excluded = new ArrayList<>();
    /** Float tensors quantized as activations (calibrated), in order of appearance. */
    final Set<String> activations = new LinkedHashSet<>();
    /** Activation -> the activation whose parameters it shares (direct ops). */
    final Map<String, String> aliases = new HashMap<>();
    /** Node index -> input indices quantized. */
    final Map<Integer, List<Integer>> inputs = new HashMap<>();
    /** Relu nodes dropped, their effect carried by the quantization of their output. */
    final Set<Integer> folded = new HashSet<>();
    /** A dropped Relu's input -> its output, which the op before it now writes. */
    final Map<String, String> renamed = new HashMap<>();

    /** Weight-only: Conv, MatMul and Gemm whose input 1 is a float initializer. */
    static Plan weights(OnnxMl.GraphProto graph, QuantizeOptions options) {
      Plan plan = new Plan();
      Set<String> initializers = new HashSet<>();
      graph.getInitializerList().forEach(t -> {
        if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          initializers.add(t.getName());
        }
      });
      for (int i = 0; i < graph.getNodeCount(); i++) {
        OnnxMl.NodeProto node = graph.getNode(i);
        String op = node.getOpType();
        if (!node.getDomain().isEmpty() || !Set.of("Conv", "MatMul", "Gemm").contains(op)
            || node.getInputCount() < 2 || !initializers.contains(node.getInput(1))) {
          continue;
        }
        if (options.exclude().contains(node.getName()) || options.exclude().contains(op)) {
          plan.excluded.add(node.getName().isEmpty() ? op + "#" + i : node.getName());
          continue;
        }
        plan.nodes.add(i);
        plan.inputs.put(i, List.of(1));
      }
      return plan;
    }

    /** @param floats The float32 tensors (others, such as shape arithmetic, are never quantized). */
    static Plan of(OnnxMl.GraphProto graph, QuantizeOptions options, Set<String> floats) {
      Plan plan = new Plan();
      Set<String> initializers = new HashSet<>();
      graph.getInitializerList().forEach(t -> {
        if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
          initializers.add(t.getName());
        }
      });
      Set<String> quantized = new HashSet<>();
      for (int i = 0; i < graph.getNodeCount(); i++) {
        OnnxMl.NodeProto node = graph.getNode(i);
        String op = node.getOpType();
        boolean known = node.getDomain().isEmpty() && (QUANTIZED.containsKey(op) || DIRECT.contains(op));
        if (!known || (!options.quantizeOutputs() && !WEIGHTED_OR_JOINING.contains(op))) {
          continue; // TensorRT: Q/DQ on the inputs of weighted and joining ops only; it fuses the activations after them
        }
        if (!floats.contains(node.getOutput(0))) {
          continue; // an op on integers (shapes, indices): nothing to quantize
        }
        if (options.exclude().contains(node.getName()) || options.exclude().contains(op)) {
          plan.excluded.add(node.getName().isEmpty() ? op + "#" + i : node.getName());
          continue;
        }
        List<Integer> which = new ArrayList<>();
        if (DIRECT.contains(op)) {
          String in = node.getInput(0);
          if (!quantized.contains(in)) {
            continue; // ONNX Runtime: these stay float unless their input is already quantized
          }
          which.add(0);
          if (options.quantizeOutputs()) {
            plan.aliases.put(node.getOutput(0), plan.root(in));
            quantized.add(node.getOutput(0));
          }
        } else {
          int[] idx = QUANTIZED.get(op);
          boolean all = idx.length == 0;
          int count = all ? node.getInputCount() : idx.length;
          for (int k = 0; k < count; k++) {
            int input = all ? k : idx[k];
            if (input < node.getInputCount() && !node.getInput(input).isEmpty()
                && (floats.contains(node.getInput(input)) || initializers.contains(node.getInput(input)))) {
              which.add(input);
              String name = node.getInput(input);
              if (!initializers.contains(name)) {
                plan.activations.add(name);
                quantized.add(name);
              }
            }
          }
          if (options.quantizeOutputs()) {
            plan.activations.add(node.getOutput(0));
            quantized.add(node.getOutput(0));
          }
        }
        plan.nodes.add(i);
        plan.inputs.put(i, which);
      }
      if (options.quantizeOutputs() && !options.activationsSymmetric()) {
        plan.foldRelus(graph);
      }
      return plan;
    }

    /**
     * ONNX Runtime's removable activations ({@code QDQKeepRemovableActivations} false, activations asymmetric): a Relu
     * whose input only it reads, written by a quantized op, is dropped and that op writes the Relu's output directly;
     * quantizing with the Relu output's range {@code [0, max]} (zero point at qmin) clips negatives just as the Relu.
     */
    private void foldRelus(OnnxMl.GraphProto graph) {
      Map<String, Integer> producer = new HashMap<>();
      Map<String, Integer> readers = new HashMap<>();
      for (int i = 0; i < graph.getNodeCount(); i++) {
        for (String o : graph.getNode(i).getOutputList()) {
          producer.put(o, i);
        }
        for (String in : graph.getNode(i).getInputList()) {
          readers.merge(in, 1, Integer::sum);
        }
      }
      Set<String> outputs = new HashSet<>();
      graph.getOutputList().forEach(o -> outputs.add(o.getName()));
      for (int i : new ArrayList<>(nodes)) {
        OnnxMl.NodeProto node = graph.getNode(i);
        if (!node.getOpType().equals("Relu")) {
          continue;
        }
        String t = node.getInput(0);
        Integer p = producer.get(t);
        if (p == null || !nodes.contains(p) || !QUANTIZED.containsKey(graph.getNode(p).getOpType())
            || graph.getNode(p).getOutputCount() != 1 || outputs.contains(t) || readers.get(t) != 1) {
          continue;
        }
        folded.add(i);
        renamed.put(t, node.getOutput(0));
        activations.remove(t);
      }
    }

    String root(String tensor) {
      String r = tensor;
      while (aliases.containsKey(r)) {
        r = aliases.get(r);
      }
      return r;
    }
  }

  /** Builds the QDQ graph. */
  private static final class Rewrite {
    private final OnnxMl.GraphProto graph;
    private final QuantizeOptions options;
    private final Plan plan;
    private final Map<String, TensorRange> ranges;
    private final Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, ScaleZeroPoint> activationParams = new HashMap<>();
    /** Float tensor -> the DequantizeLinear output that replaces it as the input of quantized nodes. */
    private final Map<String, String> dequantized = new HashMap<>();
    private final Map<String, float[]> weightScales = new HashMap<>();
    private final List<OnnxMl.NodeProto> head = new ArrayList<>();
    private final List<OnnxMl.TensorProto> added = new ArrayList<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> quantizedActivations = new HashSet<>();
    private final Set<String> biasNames = new HashSet<>();
    int quantizeCount;
    int dequantizeCount;

    Rewrite(OnnxMl.GraphProto graph, QuantizeOptions options, Plan plan, Map<String, TensorRange> ranges) {
      this.graph = graph;
      this.options = options;
      this.plan = plan;
      this.ranges = ranges;
      graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
      graph.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
    }

    OnnxMl.GraphProto run() throws QuantizationException {
      IntRange activationRange = IntRange.of(options.activationType(), options.activationsSymmetric(), false);
      for (String t : plan.activations) {
        TensorRange r = ranges.get(t);
        activationParams.put(t, LinearQuantization.scaleZeroPoint(r.min(), r.max(), activationRange,
            options.activationsSymmetric()));
      }
      plan.aliases.keySet().forEach(a -> activationParams.put(a, activationParams.get(plan.root(a))));
      quantizedActivations.addAll(activationParams.keySet());

      List<OnnxMl.NodeProto> body = new ArrayList<>();
      // Graph inputs quantized: their pairs go first.
      Set<String> produced = new HashSet<>();
      graph.getNodeList().forEach(n -> produced.addAll(n.getOutputList()));
      for (String t : plan.activations) {
        if (!produced.contains(t) && !initializers.containsKey(t)) {
          head.addAll(pair(t, t));
        }
      }
      for (int i = 0; i < graph.getNodeCount(); i++) {
        if (plan.folded.contains(i)) {
          continue;
        }
        OnnxMl.NodeProto node = graph.getNode(i);
        OnnxMl.NodeProto.Builder b = node.toBuilder();
        for (int k = 0; k < node.getOutputCount(); k++) {
          b.setOutput(k, plan.renamed.getOrDefault(node.getOutput(k), node.getOutput(k)));
        }
        if (plan.nodes.contains(i)) {
          for (int input : plan.inputs.get(i)) {
            String name = node.getInput(input);
            if (initializers.containsKey(name)) {
              b.setInput(input, weight(node, input));
            }
          }
          biasOf(node, b);
        }
        for (int k = 0; k < node.getInputCount(); k++) {
          String name = b.getInput(k);
          if (dequantized.containsKey(name)) {
            b.setInput(k, dequantized.get(name));
          }
        }
        List<OnnxMl.NodeProto> after = new ArrayList<>();
        for (int k = 0; k < node.getOutputCount(); k++) {
          String out = b.getOutput(k);
          if (quantizedActivations.contains(out)) {
            if (graphOutputs.contains(out)) {
              String source = out + "_QuantizeInput";
              b.setOutput(k, source);
              after.addAll(pair(source, out));
            } else {
              after.addAll(pair(out, out));
            }
          }
        }
        body.add(b.build());
        body.addAll(after);
      }
      OnnxMl.GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(head).addAllNode(body);
      List<OnnxMl.ValueInfoProto> infos = new ArrayList<>(g.getValueInfoList());
      g.clearValueInfo();
      infos.stream().filter(v -> !plan.renamed.containsKey(v.getName())).forEach(g::addValueInfo);
      // Float weights no float node reads any more are dropped (with their graph-input entries, IR < 4 style).
      OnnxProtos.replaceInitializers(g, initializers, added);
      // value_info of renamed or replaced tensors stays valid: the original names still hold float values.
      return g.build();
    }

    /** QuantizeLinear(source) then DequantizeLinear -> {@code target} or a fresh name that consumers read instead. */
    private List<OnnxMl.NodeProto> pair(String source, String tensor) {
      ScaleZeroPoint p = activationParams.get(tensor);
      String base = tensor;
      String scale = base + "_scale";
      String zero = base + "_zero_point";
      added.add(OnnxProtos.floatTensor(scale, new long[0], new float[] {p.scale()}));
      added.add(OnnxProtos.intTensor(zero, new long[0], new int[] {p.zeroPoint()},
          options.activationType().onnxType()));
      String q = base + "_QuantizeLinear_Output";
      String dqOut = graphOutputs.contains(tensor) ? tensor : base + "_DequantizeLinear_Output";
      if (!graphOutputs.contains(tensor)) {
        dequantized.put(tensor, dqOut);
      }
      quantizeCount++;
      dequantizeCount++;
      return List.of(
          OnnxMl.NodeProto.newBuilder().setOpType("QuantizeLinear").setName(base + "_QuantizeLinear")
              .addInput(source).addInput(scale).addInput(zero).addOutput(q).build(),
          OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear").setName(base + "_DequantizeLinear")
              .addInput(q).addInput(scale).addInput(zero).addOutput(dqOut).build());
    }

    /** The per-channel axis of a node's weight input, or -1 for per tensor. */
    private int axis(OnnxMl.NodeProto node, int input, int rank) {
      if (!options.weightsPerChannel() || input != 1 || rank < 2) {
        return -1;
      }
      return switch (node.getOpType()) {
        case "Conv" -> 0;
        case "MatMul" -> rank - 1;
        case "Gemm" -> OnnxProtos.intAttribute(node, "transB", 0) == 1 ? 0 : 1;
        default -> -1;
      };
    }

    /** Stores a weight initializer quantized, with a DequantizeLinear; returns the tensor the node reads. */
    private String weight(OnnxMl.NodeProto node, int input) throws QuantizationException {
      String name = node.getInput(input);
      String out = name + "_DequantizeLinear_Output";
      if (weightScales.containsKey(name)) {
        return out;
      }
      OnnxMl.TensorProto t = initializers.get(name);
      float[] values = OnnxProtos.floatValues(t);
      long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      int axis = axis(node, input, shape.length);
      QuantType type = QuantType.INT8;
      QuantizedTensor q = LinearQuantization.quantizeWeight(values, shape, axis, type, options.weightsSymmetric(),
          options.reduceRange());
      // Where an int32 bias would overflow, ONNX Runtime raises the weight scale first.
      OnnxMl.TensorProto bias = biasTensor(node);
      if (bias != null && input == 1) {
        float inputScale = activationParams.get(node.getInput(0)).scale();
        ScaleZeroPoint[] params = q.params();
        float[] scales = new float[params.length];
        for (int c = 0; c < params.length; c++) {
          scales[c] = params[c].scale();
        }
        float[] adjusted = LinearQuantization.adjustWeightScalesForInt32Bias(inputScale, scales, OnnxProtos.floatValues(bias));
        ScaleZeroPoint[] raised = new ScaleZeroPoint[params.length];
        for (int c = 0; c < params.length; c++) {
          raised[c] = new ScaleZeroPoint(adjusted[c], params[c].zeroPoint());
        }
        q = LinearQuantization.quantizeWith(values, shape, axis, type, raised);
      }
      ScaleZeroPoint[] params = q.params();
      float[] scales = new float[params.length];
      int[] zeros = new int[params.length];
      for (int c = 0; c < params.length; c++) {
        scales[c] = params[c].scale();
        zeros[c] = params[c].zeroPoint();
      }
      weightScales.put(name, scales);
      long[] paramShape = axis < 0 ? new long[0] : new long[] {params.length};
      added.add(OnnxProtos.intTensor(name + "_quantized", shape, q.values(), type.onnxType()));
      added.add(OnnxProtos.floatTensor(name + "_scale", paramShape, scales));
      added.add(OnnxProtos.intTensor(name + "_zero_point", paramShape, zeros, type.onnxType()));
      OnnxMl.NodeProto.Builder dq = OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear")
          .setName(name + "_DequantizeLinear").addInput(name + "_quantized").addInput(name + "_scale")
          .addInput(name + "_zero_point").addOutput(out);
      if (axis >= 0) {
        dq.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(axis)
            .setType(OnnxMl.AttributeProto.AttributeType.INT));
      }
      head.add(dq.build());
      dequantizeCount++;
      return out;
    }

    /** The 1-D float bias initializer of a Conv (input 2) or Gemm (C), when its weight is an initializer. */
    private OnnxMl.TensorProto biasTensor(OnnxMl.NodeProto node) {
      String op = node.getOpType();
      if (!(op.equals("Conv") || op.equals("Gemm")) || node.getInputCount() < 3 || node.getInput(2).isEmpty()
          || !initializers.containsKey(node.getInput(1)) || !activationParams.containsKey(node.getInput(0))) {
        return null;
      }
      OnnxMl.TensorProto b = initializers.get(node.getInput(2));
      if (b == null || b.getDimsCount() != 1 || b.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
        return null;
      }
      if (op.equals("Gemm") && (OnnxProtos.intAttribute(node, "transA", 0) != 0
          || OnnxProtos.floatAttribute(node, "beta", 1f) != 1f)) {
        return null;
      }
      return b;
    }

    /** Replaces a Conv/Gemm bias by int32 values with zero point 0 and a DequantizeLinear. */
    private void biasOf(OnnxMl.NodeProto node, OnnxMl.NodeProto.Builder b) {
      OnnxMl.TensorProto bias = biasTensor(node);
      if (bias == null) {
        return;
      }
      float[] ws = weightScales.get(node.getInput(1));
      float[] values = OnnxProtos.floatValues(bias);
      if (ws.length != 1 && ws.length != values.length) {
        return;
      }
      float inputScale = activationParams.get(node.getInput(0)).scale();
      QuantizedBias q = LinearQuantization.quantizeBias(values, inputScale, ws);
      String name = biasNames.add(bias.getName()) ? bias.getName() : bias.getName() + "_" + biasNames.size();
      long[] paramShape = ws.length == 1 ? new long[0] : new long[] {ws.length};
      added.add(OnnxProtos.intTensor(name + "_quantized", new long[] {values.length}, q.values(),
          OnnxMl.TensorProto.DataType.INT32));
      added.add(OnnxProtos.floatTensor(name + "_scale", paramShape, q.scales()));
      added.add(OnnxProtos.intTensor(name + "_zero_point", paramShape, new int[ws.length],
          OnnxMl.TensorProto.DataType.INT32));
      String out = name + "_DequantizeLinear_Output";
      OnnxMl.NodeProto.Builder dq = OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear")
          .setName(name + "_DequantizeLinear").addInput(name + "_quantized").addInput(name + "_scale")
          .addInput(name + "_zero_point").addOutput(out);
      if (ws.length > 1) {
        dq.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(0)
            .setType(OnnxMl.AttributeProto.AttributeType.INT));
      }
      head.add(dq.build());
      dequantizeCount++;
      b.setInput(2, out);
    }

  }
}
