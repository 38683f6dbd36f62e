package io.edgeai4j.modelpackage;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the inputs and outputs of an ONNX graph (without ONNX Runtime), so that a package can be checked against its
 * {@code model.json} before it is staged. Stateless, thread-safe.
 */
public final class OnnxGraphs {
  private OnnxGraphs() {}

  /**
   * One graph input or output.
   *
   * @param name The tensor's name.
   * @param elementType Lower case as in {@code model.json}: {@code float32}, {@code float64}, {@code float16},
   *     {@code bfloat16}, {@code int8} ... {@code uint64}, {@code bool}, {@code string}; {@code sequence},
   *     {@code map}, {@code optional}, {@code sparse_tensor} or {@code opaque} for a value that is not a tensor;
   *     {@code undefined} when the model does not say.
   * @param shape One entry per dimension, -1 for a symbolic or missing dimension; null when the model does not
   *     give the rank (and for values that are not tensors). Not copied: do not modify.
   */
  public record Io(String name, String elementType, long[] shape) {
    /** Compares the shapes by content. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Io io && name.equals(io.name) && elementType.equals(io.elementType)
          && Arrays.equals(shape, io.shape);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, elementType, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
      return name + ": " + elementType + (shape == null ? "[?]" : Arrays.toString(shape));
    }
  }

  /**
   * The graph's inputs that are fed at inference time: its declared inputs minus its initializers (older exporters
   * list the weights as inputs too).
   *
   * @throws InvalidPackageException "model.onnx is not an ONNX model: ..." when the file does not parse or has no
   *     graph.
   */
  public static List<Io> inputs(Path modelOnnx) throws InvalidPackageException {
    OnnxMl.GraphProto graph = graph(modelOnnx);
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    return graph.getInputList().stream().filter(v -> !initializers.contains(v.getName())).map(OnnxGraphs::io)
        .toList();
  }

  /**
   * The graph's outputs.
   *
   * @throws InvalidPackageException "model.onnx is not an ONNX model: ..." when the file does not parse or has no
   *     graph.
   */
  public static List<Io> outputs(Path modelOnnx) throws InvalidPackageException {
    return graph(modelOnnx).getOutputList().stream().map(OnnxGraphs::io).toList();
  }

  private static OnnxMl.GraphProto graph(Path modelOnnx) throws InvalidPackageException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(modelOnnx)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidPackageException("model.onnx is not an ONNX model: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidPackageException("model.onnx is not an ONNX model: cannot read " + modelOnnx + ": "
          + e.getMessage(), e);
    }
    if (!model.hasGraph()) {
      throw new InvalidPackageException("model.onnx is not an ONNX model: it has no graph");
    }
    return model.getGraph();
  }

  private static Io io(OnnxMl.ValueInfoProto value) {
    OnnxMl.TypeProto type = value.getType();
    if (type.getValueCase() != OnnxMl.TypeProto.ValueCase.TENSOR_TYPE) {
      String kind = type.getValueCase() == OnnxMl.TypeProto.ValueCase.VALUE_NOT_SET ? "undefined"
          : type.getValueCase().name().replace("_TYPE", "").toLowerCase(Locale.ROOT);
      return new Io(value.getName(), kind, null);
    }
    OnnxMl.TypeProto.Tensor tensor = type.getTensorType();
    long[] shape = null;
    if (tensor.hasShape()) {
      shape = tensor.getShape().getDimList().stream()
          .mapToLong(d -> d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : -1).toArray();
    }
    return new Io(value.getName(), elementType(tensor.getElemType()), shape);
  }

  /** The lower-case spelling of an ONNX {@code TensorProto.DataType} number. */
  static String elementType(int number) {
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(number);
    if (type == null) {
      return "unknown(" + number + ")";
    }
    return switch (type) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
