package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs ONNX Runtime's own QuantizeLinear and DequantizeLinear (opset 13) on a tensor: the reference the Java math is
 * checked against element by element.
 */
final class OrtQdq {
  /** ONNX Runtime's quantized values and their dequantized floats. */
  record Result(int[] quantized, float[] dequantized) {}

  private OrtQdq() {}

  static Result run(float[] x, long[] shape, int axis, QuantType type, ScaleZeroPoint[] params) throws Exception {
    OnnxMl.TensorProto.Builder scale = OnnxMl.TensorProto.newBuilder().setName("scale")
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    OnnxMl.TensorProto.Builder zero = OnnxMl.TensorProto.newBuilder().setName("zero")
        .setDataType(type.onnxType().getNumber());
    if (axis >= 0) {
      scale.addDims(params.length);
      zero.addDims(params.length);
    }
    for (ScaleZeroPoint p : params) {
      scale.addFloatData(p.scale());
      zero.addInt32Data(p.zeroPoint());
    }
    OnnxMl.NodeProto.Builder q = OnnxMl.NodeProto.newBuilder().setOpType("QuantizeLinear").addInput("x")
        .addInput("scale").addInput("zero").addOutput("q");
    OnnxMl.NodeProto.Builder dq = OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear").addInput("q")
        .addInput("scale").addInput("zero").addOutput("d");
    if (axis >= 0) {
      OnnxMl.AttributeProto a = OnnxMl.AttributeProto.newBuilder().setName("axis").setI(axis)
          .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
      q.addAttribute(a);
      dq.addAttribute(a);
    }
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("qdq")
        .addInput(info("x", OnnxMl.TensorProto.DataType.FLOAT)).addOutput(info("q", type.onnxType()))
        .addOutput(info("d", OnnxMl.TensorProto.DataType.FLOAT)).addInitializer(scale).addInitializer(zero)
        .addNode(q).addNode(dq).build();
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toByteArray());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result out = session.run(Map.of("x", input))) {
      ByteBuffer qb = ((OnnxTensor) out.get("q").get()).getByteBuffer();
      int[] quantized = new int[x.length];
      for (int i = 0; i < quantized.length; i++) {
        byte b = qb.get(i);
        quantized[i] = type.signed() ? b : Byte.toUnsignedInt(b);
      }
      FloatBuffer db = ((OnnxTensor) out.get("d").get()).getFloatBuffer();
      float[] dequantized = new float[x.length];
      db.get(dequantized);
      return new Result(quantized, dequantized);
    }
  }

  /** ONNX Runtime's DequantizeLinear of an int32 tensor (the bias path) with zero point 0. */
  static float[] dequantizeInt32(int[] values, float[] scales) throws Exception {
    OnnxMl.TensorProto.Builder v = OnnxMl.TensorProto.newBuilder().setName("v")
        .setDataType(OnnxMl.TensorProto.DataType.INT32.getNumber()).addDims(values.length);
    for (int i : values) {
      v.addInt32Data(i);
    }
    OnnxMl.TensorProto.Builder scale = OnnxMl.TensorProto.newBuilder().setName("scale")
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    OnnxMl.TensorProto.Builder zero = OnnxMl.TensorProto.newBuilder().setName("zero")
        .setDataType(OnnxMl.TensorProto.DataType.INT32.getNumber());
    if (scales.length > 1) {
      scale.addDims(scales.length);
      zero.addDims(scales.length);
    }
    for (float s : scales) {
      scale.addFloatData(s);
      zero.addInt32Data(0);
    }
    OnnxMl.NodeProto.Builder dq = OnnxMl.NodeProto.newBuilder().setOpType("DequantizeLinear").addInput("v")
        .addInput("scale").addInput("zero").addOutput("d");
    if (scales.length > 1) {
      dq.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(0)
          .setType(OnnxMl.AttributeProto.AttributeType.INT));
    }
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("dq").addInitializer(v).addInitializer(scale)
        .addInitializer(zero).addNode(dq).addOutput(info("d", OnnxMl.TensorProto.DataType.FLOAT)).build();
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // Keep DequantizeLinear a kernel run rather than folded at load time, so ONNX Runtime's kernel is what answers.
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = env.createSession(model.toByteArray(), options);
          OrtSession.Result out = session.run(Map.of())) {
        float[] d = new float[values.length];
        ((OnnxTensor) out.get("d").get()).getFloatBuffer().get(d);
        return d;
      }
    }
  }

  private static OnnxMl.ValueInfoProto info(String name, OnnxMl.TensorProto.DataType type) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()))).build();
  }
}
