package io.edgeai4j.optimize.inspect;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Inspects an ONNX model: opsets, declared inputs and outputs, op histogram, parameter count, file size, whether it is
 * quantized, and estimated MACs/FLOPs per node and in total (see {@link OpCosts} for the formulas). Intermediate
 * shapes come from one ONNX Runtime run on zero inputs ({@link TensorProbe}), or from the graph's value_info when
 * that run fails. Stateless, thread-safe.
 */
public final class ModelInspector {
  private ModelInspector() {}

  /**
   * Inspects a model file.
   *
   * @throws ModelFileException When the file is missing or not an ONNX model (naming it).
   */
  public static ModelReport inspect(Path file) throws ModelFileException {
    OnnxMl.ModelProto model = OnnxModelFile.read(file);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be read: " + e, e);
    }
    return inspect(model, file.toString(), size);
  }

  /** Inspects a parsed model ({@code file} and {@code sizeBytes} only label the report). */
  public static ModelReport inspect(OnnxMl.ModelProto model, String file, long sizeBytes) {
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList()) {
      opsets.put(opset.getDomain().equals("ai.onnx") ? "" : opset.getDomain(), opset.getVersion());
    }
    Map<String, long[]> shapes = new HashMap<>();
    Set<String> initializers = new HashSet<>();
    long parameters = 0;
    for (OnnxMl.TensorProto initializer : graph.getInitializerList()) {
      initializers.add(initializer.getName());
      long[] dims = initializer.getDimsList().stream().mapToLong(Long::longValue).toArray();
      shapes.put(initializer.getName(), dims);
      parameters += OpCosts.elements(dims);
    }
    List<ModelReport.TensorSpec> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (!initializers.contains(input.getName())) {
        inputs.add(spec(input));
      }
    }
    List<ModelReport.TensorSpec> outputs = graph.getOutputList().stream().map(ModelInspector::spec).toList();
    String shapeSource;
    try {
      TensorProbe.probe(model).forEach((name, tensor) -> shapes.put(name, tensor.shape()));
      shapeSource = "ONNX Runtime run on zero inputs, open dimensions set to 1";
    } catch (OrtException | RuntimeException e) {
      for (OnnxMl.ValueInfoProto info : graph.getValueInfoList()) {
        long[] dims = concrete(info);
        if (dims != null) {
          shapes.put(info.getName(), dims);
        }
      }
      shapeSource = "value_info (ONNX Runtime could not run the model on zero inputs: " + e.getMessage() + ")";
    }
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      if (node.getOpType().equals("Constant")) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
          if (a.hasT()) {
            parameters += OpCosts.elements(a.getT().getDimsList().stream().mapToLong(Long::longValue).toArray());
          }
        }
      }
    }
    SortedMap<String, Integer> histogram = new TreeMap<>();
    SortedMap<String, Integer> quantization = new TreeMap<>();
    SortedSet<String> notCounted = new TreeSet<>();
    List<ModelReport.NodeCost> nodes = new ArrayList<>();
    long macs = 0;
    long flops = 0;
    int index = 0;
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      String op = node.getOpType();
      histogram.merge(op, 1, Integer::sum);
      if (OpCosts.quantized(op)) {
        quantization.merge(op, 1, Integer::sum);
      }
      String name = node.getName().isEmpty() ? op + "_" + index : node.getName();
      index++;
      long[] outShape = node.getOutputCount() == 0 ? null : shapes.get(node.getOutput(0));
      List<Long> outList = outShape == null ? List.of() : Arrays.stream(outShape).boxed().toList();
      boolean counted = OpCosts.counted(op);
      OpCosts.Cost cost = new OpCosts.Cost(0, 0);
      if (counted) {
        try {
          cost = OpCosts.of(node, shapes::get);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
          counted = false;
        }
      }
      if (!counted) {
        notCounted.add(op);
      }
      macs += cost.macs();
      flops += cost.flops();
      nodes.add(new ModelReport.NodeCost(name, op, outList, cost.macs(), cost.flops(), counted));
    }
    return new ModelReport(file, sizeBytes, model.getIrVersion(), opsets, inputs, outputs, histogram, parameters,
        !quantization.isEmpty(), quantization, nodes, macs, flops, notCounted, shapeSource);
  }

  private static ModelReport.TensorSpec spec(OnnxMl.ValueInfoProto info) {
    OnnxMl.TypeProto.Tensor tensor = info.getType().getTensorType();
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(tensor.getElemType());
    List<String> shape = new ArrayList<>();
    for (OnnxMl.TensorShapeProto.Dimension d : tensor.getShape().getDimList()) {
      shape.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
    }
    return new ModelReport.TensorSpec(info.getName(),
        type == null ? "type " + tensor.getElemType() : type.name().toLowerCase(Locale.ROOT), shape);
  }

  private static long[] concrete(OnnxMl.ValueInfoProto info) {
    List<OnnxMl.TensorShapeProto.Dimension> dims = info.getType().getTensorType().getShape().getDimList();
    if (!info.getType().getTensorType().hasShape()) {
      return null;
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : 1;
    }
    return shape;
  }
}
