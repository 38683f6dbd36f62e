package io.edgeai4j.optimize.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small builders and readers of ONNX protobuf messages that the graph rewrites share: attributes of a node, and
 * initializers written as little-endian {@code raw_data}. Stateless, thread-safe.
 */
public final class OnnxProtos {
  private OnnxProtos() {}

  /** A node's integer attribute, or {@code otherwise} when it has none of that name. */
  public static long intAttribute(OnnxMl.NodeProto node, String name, long otherwise) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getI();
      }
    }
    return otherwise;
  }

  /** A node's float attribute, or {@code otherwise} when it has none of that name. */
  public static float floatAttribute(OnnxMl.NodeProto node, String name, float otherwise) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getF();
      }
    }
    return otherwise;
  }

  /** A node's list-of-integers attribute, or {@code otherwise} when it has none of that name. */
  public static long[] intsAttribute(OnnxMl.NodeProto node, String name, long[] otherwise) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
      }
    }
    return otherwise;
  }

  /** A node's string attribute, or {@code otherwise} when it has none of that name. */
  public static String stringAttribute(OnnxMl.NodeProto node, String name, String otherwise) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getS().toStringUtf8();
      }
    }
    return otherwise;
  }

  /** A tensor's dimensions. */
  public static long[] dims(OnnxMl.TensorProto t) {
    return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The values of a float32 tensor, from {@code raw_data} (little-endian) or {@code float_data}.
   *
   * @throws IllegalArgumentException For another element type, or values stored in an external file.
   */
  public static float[] floatValues(OnnxMl.TensorProto t) {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "' has element type " + t.getDataType()
          + "; expected float32 (1)");
    }
    checkInline(t);
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      return v;
    }
    float[] v = new float[t.getFloatDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getFloatData(i);
    }
    return v;
  }

  /**
   * The values of an int64 tensor, from {@code raw_data} (little-endian) or {@code int64_data}.
   *
   * @throws IllegalArgumentException For another element type, or values stored in an external file.
   */
  public static long[] longValues(OnnxMl.TensorProto t) {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.INT64.getNumber()) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "' has element type " + t.getDataType()
          + "; expected int64 (7)");
    }
    checkInline(t);
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] v = new long[b.remaining() / 8];
      b.asLongBuffer().get(v);
      return v;
    }
    long[] v = new long[t.getInt64DataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getInt64Data(i);
    }
    return v;
  }

  private static void checkInline(OnnxMl.TensorProto t) {
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "' is stored in an external file; models with"
          + " external data are not read here");
    }
  }

  /** A float32 initializer. */
  public static OnnxMl.TensorProto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return tensor(name, dims, OnnxMl.TensorProto.DataType.FLOAT, buf);
  }

  /**
   * An integer initializer of {@code type} INT8, UINT8 (one byte per value, the low 8 bits) or INT32.
   *
   * @throws IllegalArgumentException For another type.
   */
  public static OnnxMl.TensorProto intTensor(String name, long[] dims, int[] values,
      OnnxMl.TensorProto.DataType type) {
    int width = switch (type) {
      case INT8, UINT8 -> 1;
      case INT32 -> 4;
      default -> throw new IllegalArgumentException("integer initializers are int8, uint8 or int32, not " + type);
    };
    ByteBuffer buf = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      if (width == 4) {
        buf.putInt(v);
      } else {
        buf.put((byte) v);
      }
    }
    return tensor(name, dims, type, buf);
  }

  /**
   * After a rewrite replaced nodes: keeps the {@code old} initializers that a node of {@code g} still reads or that are
   * graph outputs, adds {@code added}, and drops the graph-input entries (IR &lt; 4 style) of the initializers dropped.
   */
  public static void replaceInitializers(OnnxMl.GraphProto.Builder g, Map<String, OnnxMl.TensorProto> old,
      List<OnnxMl.TensorProto> added) {
    Set<String> used = new HashSet<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      used.addAll(n.getInputList());
    }
    g.getOutputList().forEach(o -> used.add(o.getName()));
    g.clearInitializer();
    for (OnnxMl.TensorProto t : old.values()) {
      if (used.contains(t.getName())) {
        g.addInitializer(t);
      }
    }
    g.addAllInitializer(added);
    List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>(g.getInputList());
    g.clearInput();
    for (OnnxMl.ValueInfoProto in : inputs) {
      if (!old.containsKey(in.getName()) || used.contains(in.getName())) {
        g.addInput(in);
      }
    }
  }

  private static OnnxMl.TensorProto tensor(String name, long[] dims, OnnxMl.TensorProto.DataType type,
      ByteBuffer filled) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(filled.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }
}
