package io.edgeai4j.optimize.inspect;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What {@link ModelInspector} finds in a model. Shapes and costs are for one row: open dimensions are set to 1.
 *
 * @param file The model file.
 * @param sizeBytes The file's size.
 * @param irVersion The ONNX IR version.
 * @param opsets The imported opsets, domain ({@code ""} for the default ONNX domain) to version.
 * @param inputs The graph's inputs (initializers excluded), as declared.
 * @param outputs The graph's outputs, as declared.
 * @param opHistogram Nodes per op type.
 * @param parameters Elements of all initializers.
 * @param quantized Whether the model has quantization ops.
 * @param quantizationOps Nodes per quantization op type (QuantizeLinear, DequantizeLinear, QLinear*, *Integer).
 * @param nodes The cost of each node, in graph order.
 * @param totalMacs Sum of the nodes' MACs.
 * @param totalFlops Sum of the nodes' FLOPs.
 * @param notCounted Op types present whose cost is not estimated, having no formula or a shape that is unknown
 *     (they add 0 to the totals).
 * @param shapeSource How intermediate shapes were found, or why costs are missing.
 */
public record ModelReport(String file, long sizeBytes, long irVersion, Map<String, Long> opsets,
    List<TensorSpec> inputs, List<TensorSpec> outputs, SortedMap<String, Integer> opHistogram, long parameters,
    boolean quantized, SortedMap<String, Integer> quantizationOps, List<NodeCost> nodes, long totalMacs,
    long totalFlops, SortedSet<String> notCounted, String shapeSource) {

  /** A declared graph input or output: element type name and dimensions (numbers or symbolic names, "?" unknown). */
  public record TensorSpec(String name, String elementType, List<String> shape) {}

  /** One node's estimate; {@code outputShape} is its first output's shape for one row (empty when unknown). */
  public record NodeCost(String name, String opType, List<Long> outputShape, long macs, long flops,
      boolean counted) {}
}
