package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * ONNX Runtime's native library and process-wide environment, loaded once, on first use (not when a provider class
 * loads). The environment belongs to the process and is never closed (ONNX Runtime releases it at JVM exit).
 * Thread-safe.
 */
final class OrtNatives {
  /**
   * What loading found.
   *
   * @param environment The environment, or null when the library did not load.
   * @param version ONNX Runtime's version, e.g. {@code 1.29.0}; null when it did not load.
   * @param providers The execution providers this build contains (what {@code getAvailableProviders()} lists).
   * @param failure Why the library did not load, or null.
   */
  record Loaded(OrtEnvironment environment, String version, Set<OrtProvider> providers, String failure) {
    boolean ok() {
      return environment != null;
    }

    /** The providers by ONNX Runtime's names, sorted, e.g. {@code [CPU]}. */
    String providerNames() {
      Set<String> names = new TreeSet<>();
      providers.forEach(p -> names.add(p.name()));
      return names.toString();
    }
  }

  private static final class Holder {
    static final Loaded LOADED = load();
  }

  private OrtNatives() {}

  /** Loads the library on the first call; later calls return the same answer. Never throws. */
  static Loaded get() {
    return Holder.LOADED;
  }

  /** The JVM's platform as ONNX Runtime's jar names it, e.g. {@code linux-x64}. */
  static String platform() {
    String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
    String osName = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os;
    String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
    return osName + "-" + archName;
  }

  private static Loaded load() {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "edgeai4j");
      return new Loaded(env, env.getVersion(), Set.copyOf(OrtEnvironment.getAvailableProviders()), null);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
      return new Loaded(null, null, Set.of(), "the ONNX Runtime native library did not load on " + platform() + ": "
          + describe(t) + " (ONNX Runtime's jar carries natives for linux-x64, linux-aarch64, osx-aarch64 and win-x64,"
          + " built against glibc 2.28 or newer, not musl; -Donnxruntime.native.path=<dir> points to other natives)");
    }
  }

  /** A throwable and its causes in one line. */
  static String describe(Throwable t) {
    StringBuilder text = new StringBuilder(t.toString());
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      text.append("; caused by ").append(c);
    }
    return text.toString();
  }
}
