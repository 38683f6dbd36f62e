package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.InvalidPackageException;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.OnnxGraphs;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.modelpackage.UnpackedPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The package file {@code edge model publish} uploads, checked, with what it says about itself. Immutable; the file
 * belongs to whoever made it (a built package lives in the command's work directory and goes with it).
 *
 * @param file The package (ZIP).
 * @param sha256 Of {@code file}, lower-case hex.
 * @param size Of {@code file}, bytes.
 * @param descriptorName {@code model.json}'s {@code name}, or null when it has none.
 * @param directoryName For a model directory that is a repository version directory ({@code <name>/<version>}):
 *     {@code <name>}; otherwise null.
 * @param directoryVersion For such a directory: {@code <version>}; otherwise null.
 * @param hasGolden Whether the package holds golden.json.
 * @param origin What it was made from, for the output ({@code "built from DIR"} or {@code "FILE"}).
 */
public record PreparedPackage(Path file, String sha256, long size, String descriptorName, String directoryName,
    Long directoryVersion, boolean hasGolden, String origin) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The most bytes a given package may unpack to when it is checked. */
  private static final long MAX_UNPACKED_BYTES = 16L << 30;

  /**
   * Builds the package from a model directory (model.onnx, model.json, optional golden.json) into
   * {@code workDir/package.zip}, deterministically.
   *
   * @param warn Gets a line when golden.json is missing.
   * @throws PublishException {@link ExitCodes#NO_INPUT} when a required file is missing; {@link ExitCodes#DATA_ERROR}
   *     when model.json is not a JSON object or model.onnx is not an ONNX model.
   */
  public static PreparedPackage fromDirectory(Path dir, Path workDir, Consumer<String> warn) throws PublishException {
    Path onnx = dir.resolve(ModelPackage.MODEL);
    Path json = dir.resolve(ModelPackage.DESCRIPTOR);
    Path golden = dir.resolve(ModelPackage.GOLDEN);
    if (!Files.isDirectory(dir)) {
      throw new PublishException(ExitCodes.NO_INPUT, "--model-dir: '" + dir + "' is not a directory");
    }
    for (Path required : new Path[] {onnx, json}) {
      if (!Files.isRegularFile(required)) {
        throw new PublishException(ExitCodes.NO_INPUT, "--model-dir: '" + dir + "' has no " + required.getFileName()
            + "; expected model.onnx, model.json and optionally golden.json");
      }
    }
    boolean hasGolden = Files.isRegularFile(golden);
    if (!hasGolden) {
      warn.accept("--model-dir: '" + dir + "' has no golden.json: the inference module will switch to this version"
          + " after warming it, without checking its outputs");
    }
    String descriptorName = check("--model-dir: '" + dir + "'", onnx, json);
    Path zip = workDir.resolve("package.zip");
    try {
      ModelPackage.write(zip, onnx, json, hasGolden ? golden : null);
      Path absolute = dir.toAbsolutePath().normalize();
      Long version = versionOf(absolute.getFileName());
      String directoryName = version == null || absolute.getParent() == null || absolute.getParent().getFileName() == null
          ? null : absolute.getParent().getFileName().toString();
      return new PreparedPackage(zip, Sha256.of(zip), Files.size(zip), descriptorName, directoryName, version,
          hasGolden, "built from " + dir);
    } catch (IOException e) {
      throw new PublishException(ExitCodes.SOFTWARE, "--model-dir: writing the package to " + zip + ": " + e, e);
    }
  }

  /**
   * Checks a given package by unpacking it into {@code workDir/unpacked}: only the known entries, model.onnx and
   * model.json present, model.onnx an ONNX model, model.json a JSON object.
   *
   * @param warn Gets a line when golden.json is missing.
   * @throws PublishException {@link ExitCodes#NO_INPUT} when the file cannot be read; {@link ExitCodes#DATA_ERROR}
   *     when it is not a valid package.
   */
  public static PreparedPackage fromZip(Path zip, Path workDir, Consumer<String> warn) throws PublishException {
    if (!Files.isRegularFile(zip)) {
      throw new PublishException(ExitCodes.NO_INPUT, "--package: '" + zip + "' is not a file");
    }
    try {
      UnpackedPackage unpacked = ModelPackage.unpack(zip, workDir.resolve("unpacked"), MAX_UNPACKED_BYTES);
      if (unpacked.golden() == null) {
        warn.accept("--package: '" + zip + "' has no golden.json: the inference module will switch to this version"
            + " after warming it, without checking its outputs");
      }
      String descriptorName = check("--package: '" + zip + "'", unpacked.model(), unpacked.descriptor());
      return new PreparedPackage(zip, Sha256.of(zip), Files.size(zip), descriptorName, null, null,
          unpacked.golden() != null, zip.toString());
    } catch (InvalidPackageException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, "--package: '" + zip + "' is not a model package: "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new PublishException(ExitCodes.NO_INPUT, "--package: cannot read '" + zip + "': " + e, e);
    }
  }

  /** Checks model.onnx parses and model.json is an object; returns model.json's name or null. */
  private static String check(String where, Path onnx, Path json) throws PublishException {
    try {
      OnnxGraphs.inputs(onnx);
    } catch (InvalidPackageException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, where + ": model.onnx is not a usable ONNX model: "
          + e.getMessage(), e);
    }
    JsonNode descriptor;
    try {
      descriptor = JSON.readTree(Files.readAllBytes(json));
    } catch (NoSuchFileException e) {
      throw new PublishException(ExitCodes.NO_INPUT, where + ": model.json is missing", e);
    } catch (IOException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, where + ": model.json is not JSON: " + e.getMessage(), e);
    }
    if (descriptor == null || !descriptor.isObject()) {
      throw new PublishException(ExitCodes.DATA_ERROR, where + ": model.json: expected a JSON object");
    }
    JsonNode name = descriptor.get("name");
    return name != null && name.isTextual() ? name.textValue() : null;
  }

  private static Long versionOf(Path name) {
    if (name == null || !name.toString().matches("[1-9][0-9]{0,17}")) {
      return null;
    }
    return Long.parseLong(name.toString());
  }
}
