package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The parts of a split model, in an order in which they can run, and how to write them: each part's file plus
 * {@code split.json} (the source model's file name and sha256, the kind of split, each part's file, stage, inputs and
 * outputs with element type and shape). Immutable, thread-safe.
 */
public final class ModelSplit {
  /** How the model was split. */
  public enum Kind {
    /** By layers: parts run one after another. */
    HORIZONTAL,
    /** By output channels: the slices of a layer run side by side, then a part concatenates them. */
    VERTICAL
  }

  /** The name of the file that describes the split, beside the parts. */
  public static final String DESCRIPTION_FILE = "split.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final OnnxMl.ModelProto source;
  private final Kind kind;
  private final List<ModelPart> parts;
  private final Map<String, Object> details;
  private final String sourceFile;
  private final String sourceSha256;

  ModelSplit(OnnxMl.ModelProto source, Kind kind, List<ModelPart> parts, Map<String, Object> details) {
    this(source, kind, parts, details, null, sha256(source.toByteArray()));
  }

  private ModelSplit(OnnxMl.ModelProto source, Kind kind, List<ModelPart> parts, Map<String, Object> details,
      String sourceFile, String sourceSha256) {
    this.source = source;
    this.kind = kind;
    this.parts = List.copyOf(parts);
    this.details = details;
    this.sourceFile = sourceFile;
    this.sourceSha256 = sourceSha256;
  }

  /** The parts, in an order in which they can run (their file names sort in that order). */
  public List<ModelPart> parts() {
    return parts;
  }

  /** How the model was split. */
  public Kind kind() {
    return kind;
  }

  /** The unsplit model. */
  public OnnxMl.ModelProto source() {
    return source;
  }

  /**
   * This split, with {@code split.json} naming {@code file} as its source and giving that file's sha256 (without it,
   * no file name and the sha256 of the model's serialized bytes).
   *
   * @throws ModelFileException When the file cannot be read.
   */
  public ModelSplit withSource(Path file) throws ModelFileException {
    try {
      return new ModelSplit(source, kind, parts, details, file.getFileName().toString(),
          sha256(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be read: " + e, e);
    }
  }

  /**
   * Writes every part into {@code dir} (created if missing; it must hold nothing, so that only this split's files sort
   * there), each checked by loading it in ONNX Runtime, then {@code split.json}.
   *
   * @throws ModelFileException Naming the file: a directory that is not empty, a write that fails, a part ONNX
   *     Runtime refuses.
   */
  public void write(Path dir) throws ModelFileException {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          List<String> found = entries.map(p -> p.getFileName().toString()).sorted().limit(3).toList();
          if (!found.isEmpty()) {
            throw new ModelFileException(dir, "is not empty (holds " + String.join(", ", found) + "): the parts'"
                + " file names give their run order, so a split is written into an empty directory", null);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ModelFileException(dir, "cannot be created: " + e, e);
    }
    for (ModelPart part : parts) {
      OnnxModelFile.writeChecked(part.model(), dir.resolve(part.fileName()));
    }
    Path description = dir.resolve(DESCRIPTION_FILE);
    try {
      Files.writeString(description, JSON.writeValueAsString(description()) + "\n");
    } catch (IOException e) {
      throw new ModelFileException(description, "cannot be written: " + e, e);
    }
  }

  /** The content of {@code split.json}. */
  Map<String, Object> description() {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> from = new LinkedHashMap<>();
    from.put("file", sourceFile);
    from.put("sha256", sourceSha256);
    doc.put("source", from);
    doc.put("kind", kind.name().toLowerCase(Locale.ROOT));
    doc.putAll(details);
    List<Object> list = new ArrayList<>();
    for (ModelPart p : parts) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("file", p.fileName());
      entry.put("stage", p.stage());
      entry.put("inputs", tensors(p.model().getGraph().getInputList(), p.inputs()));
      entry.put("outputs", tensors(p.model().getGraph().getOutputList(), p.outputs()));
      list.add(entry);
    }
    doc.put("parts", list);
    return doc;
  }

  private static List<Object> tensors(List<OnnxMl.ValueInfoProto> infos, List<String> names) {
    List<Object> out = new ArrayList<>();
    for (String name : names) {
      OnnxMl.ValueInfoProto v = infos.stream().filter(i -> i.getName().equals(name)).findFirst().orElseThrow();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", name);
      t.put("type", typeName(v.getType().getTensorType().getElemType()));
      List<Object> shape = new ArrayList<>();
      for (OnnxMl.TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
        shape.add(d.hasDimValue() ? (Object) d.getDimValue() : d.getDimParam().isEmpty() ? null : d.getDimParam());
      }
      t.put("shape", shape);
      out.add(t);
    }
    return out;
  }

  /** {@code float32}, {@code float16}, {@code int64}, ...: the spelling model.json uses. */
  static String typeName(int elementType) {
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(elementType);
    if (type == null) {
      return "type " + elementType;
    }
    return switch (type) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
