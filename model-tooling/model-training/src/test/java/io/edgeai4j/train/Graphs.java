package io.edgeai4j.train;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds small ONNX graphs for the tests and runs them in ONNX Runtime, the reference for every DJL kernel. */
public final class Graphs {
  private Graphs() {}

  /** A graph of {@code nodes} over float input {@code x} of {@code inputShape}, output {@code y}, opset 13. */
  public static OnnxMl.ModelProto model(long[] inputShape, List<OnnxMl.TensorProto> initializers,
      OnnxMl.NodeProto... nodes) {
    return model(13, inputShape, initializers, nodes);
  }

  public static OnnxMl.ModelProto model(int opset, long[] inputShape, List<OnnxMl.TensorProto> initializers,
      OnnxMl.NodeProto... nodes) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : inputShape) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("test")
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))))
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))))
        .addAllInitializer(initializers);
    for (OnnxMl.NodeProto n : nodes) {
      g.addNode(n);
    }
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
  }

  /** A node whose attributes come from {@link #ints}, {@link #i}, {@link #f}. */
  public static OnnxMl.NodeProto node(String op, List<String> inputs, String output,
      OnnxMl.AttributeProto... attributes) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase())
        .addAllInput(inputs).addOutput(output);
    for (OnnxMl.AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    return n.build();
  }

  public static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  public static OnnxMl.AttributeProto i(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
  }

  public static OnnxMl.AttributeProto f(String name, float value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setF(value)
        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).build();
  }

  /** A float32 initializer of seeded values uniform in [-1, 1), in {@code float_data}. */
  public static OnnxMl.TensorProto random(String name, long seed, long... dims) {
    SplittableRandom r = new SplittableRandom(seed);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long k = 0; k < n; k++) {
      t.addFloatData((float) (r.nextDouble() * 2 - 1));
    }
    return t.build();
  }

  /** A float32 initializer of seeded values uniform in [0.5, 1.5) (a variance, a scale that keeps signs). */
  public static OnnxMl.TensorProto positive(String name, long seed, long... dims) {
    OnnxMl.TensorProto r = random(name, seed, dims);
    OnnxMl.TensorProto.Builder t = r.toBuilder().clearFloatData();
    r.getFloatDataList().forEach(v -> t.addFloatData(Math.abs(v) + 0.5f));
    return t.build();
  }

  public static OnnxMl.TensorProto int64(String name, long... values) {
    return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addDims(values.length).addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()).build();
  }

  public static OnnxMl.TensorProto scalar(String name, float value) {
    return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addFloatData(value).build();
  }

  /** Seeded values uniform in [-2, 2). */
  public static float[] values(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int k = 0; k < n; k++) {
      v[k] = (float) (r.nextDouble() * 4 - 2);
    }
    return v;
  }

  /** ONNX Runtime's output {@code y} for input {@code x} (optimizations off, so each op runs as written). */
  public static float[] runOrt(OnnxMl.ModelProto model, float[] x, long[] shape) throws Exception {
    return runOrt(model, x, shape, "x");
  }

  /** ONNX Runtime's first output for {@code x} fed as input {@code input}. */
  public static float[] runOrt(OnnxMl.ModelProto model, float[] x, long[] shape, String input) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      o.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model.toByteArray(), o);
          OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
          OrtSession.Result r = s.run(Map.of(input, in))) {
        OnnxTensor out = (OnnxTensor) r.get(0);
        FloatBuffer b = out.getFloatBuffer();
        float[] y = new float[b.remaining()];
        b.get(y);
        return y;
      }
    }
  }

  public static List<String> list(String... names) {
    return new ArrayList<>(List.of(names));
  }
}
