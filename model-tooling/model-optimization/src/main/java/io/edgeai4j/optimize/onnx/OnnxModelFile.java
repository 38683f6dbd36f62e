package io.edgeai4j.optimize.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes ONNX model files as Tribuo's {@code OnnxMl.ModelProto} (the ONNX protobuf binding every graph edit
 * of the toolkit uses), and checks a written model by loading it in ONNX Runtime, so that no command reports success
 * for a model ONNX Runtime refuses. Stateless, thread-safe.
 */
public final class OnnxModelFile {
  private OnnxModelFile() {}

  /**
   * Parses a model file.
   *
   * @throws ModelFileException Naming the file: missing, unreadable, not an ONNX model, or without a graph.
   */
  public static OnnxMl.ModelProto read(Path file) throws ModelFileException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(file)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    } catch (NoSuchFileException e) {
      throw new ModelFileException(file, "no such file", e);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFileException(file, "not an ONNX model (the protobuf does not parse: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be read: " + e, e);
    }
    if (!model.hasGraph()) {
      throw new ModelFileException(file, "not an ONNX model: it has no graph", null);
    }
    return model;
  }

  /**
   * Writes a model atomically (a temporary file in the same directory, then a rename), so that a reader never sees
   * half a model and a failed write leaves the previous file as it was.
   *
   * @throws ModelFileException Naming the file and the I/O error.
   */
  public static void write(OnnxMl.ModelProto model, Path file) throws ModelFileException {
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
      try (OutputStream out = Files.newOutputStream(temporary)) {
        model.writeTo(out);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot be written: " + e, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // Best effort: the write already failed and says so.
        }
      }
    }
  }

  /**
   * Loads a model file in ONNX Runtime (CPU, default options) and closes the session: the check every model the
   * toolkit writes passes before a command reports success.
   *
   * @throws ModelFileException With ONNX Runtime's own message when it refuses the model.
   */
  public static void checkLoads(Path file) throws ModelFileException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = environment.createSession(file.toString(), options)) {
      session.getInputNames();
    } catch (OrtException e) {
      throw new ModelFileException(file, "ONNX Runtime refuses to load it: " + e.getMessage(), e);
    }
  }

  /** Writes a model, then checks that ONNX Runtime loads it (see {@link #checkLoads}). */
  public static void writeChecked(OnnxMl.ModelProto model, Path file) throws ModelFileException {
    write(model, file);
    checkLoads(file);
  }
}
