package io.edgeai4j.nativebindings.tensorrt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions of the JavaCPP presets this build was compiled and packaged with, read from their jars'
 * {@code META-INF/maven/org.bytedeco/<artifact>/pom.properties} (no native code is loaded).
 */
final class PresetVersions {
  private PresetVersions() { }

  /** E.g. {@code 10.6-1.5.11}. */
  static String tensorRt() {
    return read("tensorrt");
  }

  /** E.g. {@code 12.6-9.5-1.5.11}. */
  static String cuda() {
    return read("cuda");
  }

  /** The CUDA major of a cuda preset version, e.g. 12 for {@code 12.6-9.5-1.5.11}. */
  static int cudaMajor(String cudaPresetVersion) {
    int dot = cudaPresetVersion.indexOf('.');
    return Integer.parseInt(cudaPresetVersion.substring(0, dot < 0 ? cudaPresetVersion.length() : dot));
  }

  private static String read(String artifact) {
    String resource = "/META-INF/maven/org.bytedeco/" + artifact + "/pom.properties";
    try (InputStream in = PresetVersions.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("org.bytedeco:" + artifact + " is not on the class path (" + resource
            + " not found)");
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      if (v == null) {
        throw new IllegalStateException(resource + " has no version");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }
}
