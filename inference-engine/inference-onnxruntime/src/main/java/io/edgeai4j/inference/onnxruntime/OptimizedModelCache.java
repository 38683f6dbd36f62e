package io.edgeai4j.inference.onnxruntime;

import io.edgeai4j.inference.backend.OptimizationLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Where ONNX Runtime's optimised copies of models live: one file per model content, runtime and settings, named
 * {@code <model file stem>-<key>.optimized.onnx}, where the key is the first 16 hex digits of the SHA-256 of the model
 * file's bytes, ONNX Runtime's version, the backend, the optimisation level and the CPU architecture. Two models (or
 * one model under two settings) never share a file, and a changed model gets a new one. Files are written under a
 * temporary name and moved into place atomically, so a reader never sees half a file. Immutable; thread-safe.
 */
final class OptimizedModelCache {
  private final Path directory;

  OptimizedModelCache(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  /**
   * The cache file for a model.
   *
   * @throws IOException If the model cannot be read or the directory cannot be created.
   */
  Path fileFor(Path modelFile, String ortVersion, String backend, OptimizationLevel level) throws IOException {
    Files.createDirectories(directory);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(modelFile), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    sha.update(("\n" + ortVersion + "\n" + backend + "\n" + level + "\n" + System.getProperty("os.arch"))
        .getBytes(StandardCharsets.UTF_8));
    String key = HexFormat.of().formatHex(sha.digest(), 0, 8);
    String fileName = modelFile.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    return directory.resolve(stem + "-" + key + ".optimized.onnx");
  }

  /** A fresh name beside {@code target} for ONNX Runtime to write to before {@link #publish}. */
  static Path temporaryFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  /** Moves a written file into place atomically, replacing any older one. */
  static void publish(Path temporary, Path target) throws IOException {
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
