package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What a model weighs in a model package: the size of a zip holding it as {@code model.onnx}, with the compression
 * {@code edge model pack} uses (java.util.zip's default deflate). Zeroed weights compress; this is where unstructured
 * sparsity saves bytes.
 */
public final class PackageSize {
  private PackageSize() {}

  /** Bytes of the zip of {@code model} alone. */
  public static long zipped(OnnxMl.ModelProto model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("model.onnx"));
      model.writeTo(zip);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.size();
  }
}
