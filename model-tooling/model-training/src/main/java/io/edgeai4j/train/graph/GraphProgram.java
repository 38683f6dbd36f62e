package io.edgeai4j.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.TrainingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph as a DJL computation: its float initializers are the parameters (PyTorch tensors that autograd can
 * differentiate), its nodes run in the file's order through {@link OpKernels}, and {@link #writeBack} puts the
 * parameters' current values into the same graph (names, shapes, opset and every other field kept).
 *
 * <p>Owns the {@link NDManager} that holds the parameters: close it (idempotent) when done. Arrays created by
 * {@link #forward} live in the manager of the inputs given, which the caller closes (a sub-manager per batch). Not
 * thread-safe: one training loop at a time.
 */
public final class GraphProgram implements AutoCloseable {
  /** Float inputs that configure an op rather than carry learned values: they are never trained. */
  private static final Map<String, Set<Integer>> HYPERPARAMETER_INPUTS = Map.of(
      "Clip", Set.of(1, 2), "Dropout", Set.of(1, 2), "BatchNormalization", Set.of(3, 4));

  private final OnnxMl.ModelProto model;
  private final int opset;
  private final NDManager manager;
  private final List<String> inputNames;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final Map<String, NDArray> constants = new HashMap<>();
  private final Map<String, long[]> integerConstants = new HashMap<>();
  /** BatchNormalization's running mean and variance: not trained by gradients, updated by training forwards. */
  private final Set<String> runningStatistics = new HashSet<>();
  private boolean closed;

  private GraphProgram(OnnxMl.ModelProto model, int opset, NDManager manager, List<String> inputNames) {
    this.model = model;
    this.opset = opset;
    this.manager = manager;
    this.inputNames = inputNames;
  }

  /**
   * Checks every node of {@code model} as {@link #compile} does first, making no tensor: names the first op or attribute
   * without a training kernel, so a command can refuse a model before any other work.
   */
  public static void check(OnnxMl.ModelProto model) throws TrainingException {
    int opset = defaultOpset(model);
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      OpKernels.check(node, opset);
    }
  }

  /**
   * Compiles {@code model}: every node is checked first (an op or attribute without a kernel is named before any
   * tensor is made), then the initializers become parameters (float32) or constants (int64).
   *
   * @param parent The manager to open this program's own under (e.g. {@code NDManager.newBaseManager()}).
   * @throws TrainingException Naming the first node that cannot be trained, or an initializer of another type.
   */
  public static GraphProgram compile(OnnxMl.ModelProto model, NDManager parent) throws TrainingException {
    OnnxMl.GraphProto g = model.getGraph();
    int opset = defaultOpset(model);
    for (OnnxMl.NodeProto node : g.getNodeList()) {
      OpKernels.check(node, opset);
    }
    Set<String> hyper = new HashSet<>();
    Set<String> learned = new HashSet<>();
    for (OnnxMl.NodeProto node : g.getNodeList()) {
      Set<Integer> h = HYPERPARAMETER_INPUTS.getOrDefault(node.getOpType(), Set.of());
      for (int i = 0; i < node.getInputCount(); i++) {
        (h.contains(i) ? hyper : learned).add(node.getInput(i));
      }
    }
    Set<String> initializerNames = new HashSet<>();
    g.getInitializerList().forEach(t -> initializerNames.add(t.getName()));
    List<String> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto in : g.getInputList()) {
      if (!initializerNames.contains(in.getName())) {
        inputs.add(in.getName());
      }
    }
    GraphProgram program = new GraphProgram(model, opset, parent.newSubManager(), List.copyOf(inputs));
    for (OnnxMl.NodeProto node : g.getNodeList()) {
      if (node.getOpType().equals("BatchNormalization")) {
        for (int i = 3; i < Math.min(5, node.getInputCount()); i++) {
          program.runningStatistics.add(node.getInput(i));
        }
      }
    }
    try {
      for (OnnxMl.TensorProto t : g.getInitializerList()) {
        program.addInitializer(t, learned.contains(t.getName()) || !hyper.contains(t.getName()));
      }
      for (OnnxMl.NodeProto node : g.getNodeList()) {
        if (node.getOpType().equals("Constant")) {
          program.addConstantNode(node);
        }
      }
    } catch (TrainingException | RuntimeException e) {
      program.close();
      throw e;
    }
    return program;
  }

  private void addInitializer(OnnxMl.TensorProto t, boolean trainable) throws TrainingException {
    Shape shape = new Shape(OnnxProtos.dims(t));
    switch (OnnxMl.TensorProto.DataType.forNumber(t.getDataType())) {
      case FLOAT -> {
        NDArray a = manager.create(OnnxProtos.floatValues(t), shape);
        a.setName(t.getName());
        (trainable ? parameters : constants).put(t.getName(), a);
      }
      case INT64 -> integerConstants.put(t.getName(), OnnxProtos.longValues(t));
      default -> throw new TrainingException("initializer '" + t.getName() + "' is of type "
          + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + "; trainable graphs hold float32 and int64"
          + " initializers");
    }
  }

  private void addConstantNode(OnnxMl.NodeProto node) throws TrainingException {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals("value") && a.hasT()) {
        OnnxMl.TensorProto t = a.getT().toBuilder().setName(node.getOutput(0)).build();
        addInitializer(t, false);
        return;
      }
    }
    throw new TrainingException(OpKernels.describe(node) + ": only Constant nodes with a 'value' tensor are carried");
  }

  private static int defaultOpset(OnnxMl.ModelProto model) {
    for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        return (int) o.getVersion();
      }
    }
    return 1;
  }

  /** The graph's inputs that are not initializers, in the graph's order: what {@link #forward} takes. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The trained parameters by initializer name, in the graph's order. Owned by this program: do not close them. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Elements of every trainable parameter. */
  public long parameterCount() {
    return parameters.values().stream().mapToLong(NDArray::size).sum();
  }

  /** Sets whether autograd records gradients of the parameters. */
  public void requireGradients(boolean on) {
    parameters.values().forEach(p -> p.setRequiresGradient(on));
  }

  /** The graph's outputs, in the graph's order. */
  public NDList forward(NDList inputs, boolean training) throws TrainingException {
    List<String> names = model.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    Map<String, NDArray> values = run(inputs, training, new HashSet<>(names));
    NDList out = new NDList();
    for (String n : names) {
      out.add(values.get(n));
    }
    return out;
  }

  /**
   * The class scores a loss should read: the first output, or, when that output is a Softmax or LogSoftmax over the
   * last axis, that node's input (the logits), so cross-entropy is computed stably by the trainer.
   */
  public NDArray logits(NDList inputs, boolean training) throws TrainingException {
    String target = logitsName();
    return run(inputs, training, Set.of(target)).get(target);
  }

  /** Whether the first output is a probability (Softmax) or log-probability (LogSoftmax) of {@link #logits}. */
  public boolean outputIsNormalized() {
    return !logitsName().equals(model.getGraph().getOutput(0).getName());
  }

  private String logitsName() {
    String output = model.getGraph().getOutput(0).getName();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (node.getOutputList().contains(output)
          && (node.getOpType().equals("Softmax") || node.getOpType().equals("LogSoftmax"))) {
        return node.getInput(0);
      }
    }
    return output;
  }

  private Map<String, NDArray> run(NDList inputs, boolean training, Set<String> wanted) throws TrainingException {
    if (closed) {
      throw new IllegalStateException("GraphProgram is closed");
    }
    if (inputs.size() != inputNames.size()) {
      throw new TrainingException("the graph takes " + inputNames.size() + " inputs " + inputNames + ", given "
          + inputs.size());
    }
    NDManager batch = inputs.head().getManager();
    Map<String, NDArray> values = new HashMap<>(parameters);
    values.putAll(constants);
    for (int i = 0; i < inputNames.size(); i++) {
      values.put(inputNames.get(i), inputs.get(i));
    }
    Set<String> remaining = new HashSet<>(wanted);
    remaining.removeAll(values.keySet());
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (remaining.isEmpty()) {
        break;
      }
      if (node.getOpType().equals("Constant")) {
        continue;
      }
      NDList out;
      if (node.getOpType().equals("Reshape")) {
        out = new NDList(reshape(node, values));
      } else if (node.getOpType().equals("BatchNormalization")) {
        out = new NDList(batchNormalization(node, nodeInputs(node, values), training));
      } else {
        out = OpKernels.forward(node, nodeInputs(node, values), opset, training);
      }
      for (int i = 0; i < node.getOutputCount() && i < out.size(); i++) {
        NDArray a = out.get(i);
        if (a.getManager() != batch && !parameters.containsValue(a) && !constants.containsValue(a)) {
          a.attach(batch);
        }
        values.put(node.getOutput(i), a);
        remaining.remove(node.getOutput(i));
      }
    }
    if (!remaining.isEmpty()) {
      throw new TrainingException("no node of the graph writes " + remaining);
    }
    return values;
  }

  private List<NDArray> nodeInputs(OnnxMl.NodeProto node, Map<String, NDArray> values) throws TrainingException {
    List<NDArray> in = new ArrayList<>();
    for (String name : node.getInputList()) {
      if (name.isEmpty()) {
        in.add(null);
        continue;
      }
      NDArray a = values.get(name);
      if (a == null) {
        throw new TrainingException(OpKernels.describe(node) + ": input '" + name + "' is "
            + (integerConstants.containsKey(name) ? "an int64 constant, which only Reshape's shape may be"
                : "not written by any earlier node"));
      }
      in.add(a);
    }
    return in;
  }

  private NDArray batchNormalization(OnnxMl.NodeProto node, List<NDArray> in, boolean training) {
    NDArray[] r = OpKernels.batchNormalization(node, in, training);
    if (training) {
      for (int i = 0; i < 2; i++) {
        String name = node.getInput(3 + i);
        NDArray updated = r[1 + i];
        if (runningStatistics.contains(name) && constants.containsKey(name)) {
          updated.attach(manager);
          updated.setName(name);
          NDArray old = constants.put(name, updated);
          old.close();
        }
      }
    }
    return r[0];
  }

  private NDArray reshape(OnnxMl.NodeProto node, Map<String, NDArray> values) throws TrainingException {
    NDArray x = values.get(node.getInput(0));
    long[] target = integerConstants.get(node.getInput(1));
    if (x == null || target == null) {
      throw new TrainingException(OpKernels.describe(node) + ": needs a computed input and a constant int64 shape");
    }
    long[] shape = target.clone();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == 0) {
        shape[i] = x.getShape().get(i);
      }
    }
    return x.reshape(new Shape(shape));
  }

  /**
   * The model with every parameter's current value, and BatchNormalization's running statistics as training updated
   * them, written into its initializer (little-endian {@code raw_data}); nothing else changes.
   */
  public OnnxMl.ModelProto writeBack() {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      String name = g.getInitializer(i).getName();
      NDArray p = parameters.containsKey(name) ? parameters.get(name)
          : runningStatistics.contains(name) ? constants.get(name) : null;
      if (p != null) {
        g.setInitializer(i, FloatTensors.withValues(g.getInitializer(i), p.toFloatArray()));
      }
    }
    return model.toBuilder().setGraph(g).build();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
