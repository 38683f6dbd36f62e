package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.HashMap;
import java.util.Map;

/** The float initializers of a graph being rewritten, by name; reads and replaces them. Not thread-safe. */
final class Tensors {
  private final Map<String, OnnxMl.TensorProto> byName = new HashMap<>();

  Tensors(OnnxMl.GraphProto g) {
    g.getInitializerList().forEach(t -> byName.put(t.getName(), t));
  }

  boolean isFloat(String name) {
    OnnxMl.TensorProto t = byName.get(name);
    return t != null && t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber();
  }

  float[] values(String name) {
    return OnnxProtos.floatValues(byName.get(name));
  }

  long[] dims(String name) {
    return OnnxProtos.dims(byName.get(name));
  }

  void put(String name, long[] dims, float[] values) {
    byName.put(name, OnnxProtos.floatTensor(name, dims, values));
  }

  /** {@code g}'s initializers replaced by the current values, in {@code g}'s order. */
  void writeInto(OnnxMl.GraphProto.Builder g) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      g.setInitializer(i, byName.get(g.getInitializer(i).getName()));
    }
  }

  /**
   * Removes, along {@code axis}, the index blocks {@code [(offset + c) * block, (offset + c + 1) * block)} for each
   * channel {@code c} in {@code dropped}.
   */
  void remove(String name, int axis, int[] dropped, int offset, int block) {
    long[] dims = dims(name);
    float[] v = values(name);
    boolean[] gone = new boolean[(int) dims[axis]];
    for (int c : dropped) {
      for (int k = 0; k < block; k++) {
        gone[(offset + c) * block + k] = true;
      }
    }
    int kept = 0;
    for (boolean b : gone) {
      kept += b ? 0 : 1;
    }
    long outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    long inner = 1;
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    float[] out = new float[(int) (outer * kept * inner)];
    int w = 0;
    for (long o = 0; o < outer; o++) {
      for (int a = 0; a < gone.length; a++) {
        if (gone[a]) {
          continue;
        }
        long from = (o * gone.length + a) * inner;
        System.arraycopy(v, (int) from, out, w, (int) inner);
        w += (int) inner;
      }
    }
    long[] newDims = dims.clone();
    newDims[axis] = kept;
    put(name, newDims, out);
  }
}
