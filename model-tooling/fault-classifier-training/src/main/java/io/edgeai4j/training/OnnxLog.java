package io.edgeai4j.training;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The ONNX {@code Log} operator (element-wise natural logarithm, opset {@value #OPSET}), which Tribuo's
 * {@link ONNXOperators} does not list. Stateless; thread-safe.
 */
enum OnnxLog implements ONNXOperator {
  /** The one instance. */
  LOG;

  /** The opset Tribuo writes, and in which {@code Log} has had this signature since version 13. */
  static final int OPSET = 13;

  @Override
  public String getOpName() {
    return "Log";
  }

  @Override
  public int getNumInputs() {
    return 1;
  }

  @Override
  public int getNumOptionalInputs() {
    return 0;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return Map.of();
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return Set.of();
  }

  @Override
  public int getOpVersion() {
    return ONNXOperators.getOpsetVersion();
  }

  @Override
  public String getOpDomain() {
    return ONNXOperators.ADD.getOpDomain();
  }
}
