package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;

/** The 8-bit integer types of a quantized tensor, with their full ranges and ONNX element types. */
public enum QuantType {
  INT8(-128, 127, OnnxMl.TensorProto.DataType.INT8),
  UINT8(0, 255, OnnxMl.TensorProto.DataType.UINT8);

  private final int min;
  private final int max;
  private final OnnxMl.TensorProto.DataType onnxType;

  QuantType(int min, int max, OnnxMl.TensorProto.DataType onnxType) {
    this.min = min;
    this.max = max;
    this.onnxType = onnxType;
  }

  /** The smallest value of the type (-128 or 0): quantized values are clipped to the full range. */
  public int min() {
    return min;
  }

  public int max() {
    return max;
  }

  public boolean signed() {
    return min < 0;
  }

  public OnnxMl.TensorProto.DataType onnxType() {
    return onnxType;
  }
}
