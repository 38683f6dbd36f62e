package io.edgeai4j.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts the images depend on, read from the framework's and the local runtime's sources. */
final class FrameworkFacts {
  private static final String METRICS_SERVER =
      "framework/module-api/src/main/java/io/edgeai4j/module/metrics/MetricsServer.java";
  private static final String RUNTIME_OPTIONS =
      "framework/local-runtime/src/main/java/io/edgeai4j/runtime/RuntimeOptions.java";
  private static final String MAIN_CLASS_SOURCE =
      "framework/module-api/src/main/java/io/edgeai4j/module/host/EdgeModuleMain.java";

  private FrameworkFacts() {}

  /** Returns the metrics server's default port (MetricsServer.DEFAULT_PORT). */
  static int metricsPort() {
    return intConstant(METRICS_SERVER, "DEFAULT_PORT");
  }

  /** Returns the local runtime's admin port (RuntimeOptions.DEFAULT_ADMIN_PORT). */
  static int localRuntimeAdminPort() {
    return intConstant(RUNTIME_OPTIONS, "DEFAULT_ADMIN_PORT");
  }

  /** Returns the health paths the metrics server serves ({@code case "/health/..."}). */
  static List<String> healthPaths() {
    Matcher m = Pattern.compile("case\\s+\"(/health/[^\"]+)\"").matcher(Repository.read(Repository.path(METRICS_SERVER)));
    List<String> paths = new ArrayList<>();
    while (m.find()) {
      paths.add(m.group(1));
    }
    if (paths.isEmpty()) {
      throw new IllegalStateException(METRICS_SERVER + " serves no /health/ path any more");
    }
    return paths;
  }

  /** Returns the fully qualified name of the container entry point class, checking that its source exists. */
  static String mainClass() {
    Repository.read(Repository.path(MAIN_CLASS_SOURCE));
    return "io.edgeai4j.module.host.EdgeModuleMain";
  }

  private static int intConstant(String source, String name) {
    Matcher m = Pattern.compile("static\\s+final\\s+int\\s+" + name + "\\s*=\\s*(\\d+)\\s*;")
        .matcher(Repository.read(Repository.path(source)));
    if (!m.find()) {
      throw new IllegalStateException(source + " declares no int constant " + name);
    }
    return Integer.parseInt(m.group(1));
  }
}
