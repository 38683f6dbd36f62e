package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;

/** Maps between this framework's tensor types and ONNX Runtime's. Stateless. */
final class OrtTypes {
  private OrtTypes() {}

  /** ONNX Runtime's Java type for an element type. */
  static OnnxJavaType javaType(ElementType type) {
    return switch (type) {
      case FLOAT32 -> OnnxJavaType.FLOAT;
      case FLOAT64 -> OnnxJavaType.DOUBLE;
      case FLOAT16 -> OnnxJavaType.FLOAT16;
      case BFLOAT16 -> OnnxJavaType.BFLOAT16;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT32 -> OnnxJavaType.INT32;
      case INT64 -> OnnxJavaType.INT64;
      case BOOL -> OnnxJavaType.BOOL;
    };
  }

  /** The element type of an ONNX tensor, or null when this framework has none for it (string, uint16, ...). */
  static ElementType elementType(TensorInfo.OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FLOAT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ElementType.FLOAT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FLOAT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> ElementType.BFLOAT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> ElementType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> ElementType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
      default -> null;
    };
  }

  /**
   * The spec of a model input or output; symbolic and unknown dimensions become {@code -1}.
   *
   * @return Null with {@code why} filled in when the value is not a tensor of a supported element type.
   */
  static TensorSpec spec(NodeInfo node, StringBuilder why) {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      why.append("'").append(node.getName()).append("' is a ").append(node.getInfo().getClass().getSimpleName())
          .append(" (").append(node.getInfo()).append("), not a tensor");
      return null;
    }
    ElementType type = elementType(info.onnxType);
    if (type == null) {
      why.append("'").append(node.getName()).append("' holds ").append(info.onnxType)
          .append(", expected one of ").append(ElementType.spellings());
      return null;
    }
    long[] shape = info.getShape();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        shape[i] = -1;
      }
    }
    return new TensorSpec(node.getName(), type, shape);
  }
}
