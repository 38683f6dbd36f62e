package io.edgeai4j.optimize.quantize;

/** The runtime a quantized model is made for. */
public enum Target {
  /** ONNX Runtime's defaults: asymmetric activations, symmetric int8 weights, Q/DQ on inputs and outputs. */
  ONNXRUNTIME,
  /**
   * TensorRT's explicit quantization: int8 only, symmetric (zero point 0) activations and weights, per-channel weights,
   * Q/DQ on the inputs of the quantized ops (TensorRT fuses DequantizeLinear into the op that follows).
   */
  TENSORRT
}
