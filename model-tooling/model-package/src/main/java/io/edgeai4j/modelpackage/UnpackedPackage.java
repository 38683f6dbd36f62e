package io.edgeai4j.modelpackage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files {@link ModelPackage#unpack} wrote. The caller owns them (moves or deletes the directory).
 *
 * @param directory Where they are.
 * @param model {@code directory/model.onnx}.
 * @param descriptor {@code directory/model.json}.
 * @param golden {@code directory/golden.json}, or null when the package has none.
 */
public record UnpackedPackage(Path directory, Path model, Path descriptor, Path golden) {
  /** @throws NullPointerException When a required path is null. */
  public UnpackedPackage {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(descriptor, "descriptor");
  }
}
