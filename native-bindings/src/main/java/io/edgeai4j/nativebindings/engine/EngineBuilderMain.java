package io.edgeai4j.nativebindings.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The engine builder child process that {@link ChildProcessEngineBuilder} starts: reads one {@link BuildRequest}
 * from stdin, finds the {@link EngineCompiler}, compiles, writes the plan to a temporary file in the request's
 * output directory and prints JSON lines on stdout: {@code progress}, {@code log}, then one {@code done} or
 * {@code error}. Exits 0 after {@code done}, 1 after {@code error}. Java code that prints to {@code System.out}
 * is sent to stderr so it cannot break the protocol.
 *
 * <p>The compiler is the single {@link ServiceLoader} provider of {@link EngineCompiler}. The system property
 * {@value #COMPILER_PROPERTY} names a class to use instead: a hook for tests and diagnostics only.
 */
public final class EngineBuilderMain {
  /** The system property naming an {@link EngineCompiler} class that replaces the ServiceLoader lookup. */
  public static final String COMPILER_PROPERTY = "edgeai4j.engineCompiler";

  private final PrintStream out;

  private EngineBuilderMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    System.exit(new EngineBuilderMain(protocol).run() ? 0 : 1);
  }

  private boolean run() {
    try {
      BuildRequest request = BuildRequest.parse(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
      EngineCompiler compiler = compiler();
      log("INFO", "compiler " + compiler.getClass().getName() + ", " + request.options());
      TensorRtVersion version = compiler.version();
      long start = System.nanoTime();
      byte[] plan = compiler.compile(request.options(), this::progress);
      double seconds = (System.nanoTime() - start) / 1e9;
      Path file = Files.createTempFile(request.outputDir(), "engine-", ".plan.tmp");
      Files.write(file, plan);
      print(BuildRequest.JSON.createObjectNode().put("type", "done").put("plan", file.toString())
          .put("tensorrt", version.toString()).put("seconds", seconds));
      return true;
    } catch (NativeBindingException e) {
      ObjectNode n = BuildRequest.JSON.createObjectNode().put("type", "error").put("operation", e.operation());
      if (e.code().isPresent()) {
        n.put("code", e.code().getAsInt());
      } else {
        n.putNull("code");
      }
      print(n.put("message", bareMessage(e)));
    } catch (Throwable e) {  // UnsatisfiedLinkError, ServiceConfigurationError, I/O: all reported, none lost
      e.printStackTrace();
      print(BuildRequest.JSON.createObjectNode().put("type", "error").put("operation", "engine build")
          .putNull("code").put("message", e.getClass().getName() + ": " + e.getMessage()));
    }
    return false;
  }

  /** The message without the operation and code {@link NativeBindingException} prefixes it with. */
  static String bareMessage(NativeBindingException e) {
    String prefix = e.operation() + (e.code().isPresent() ? " failed with code " + e.code().getAsInt() : "") + ": ";
    return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
  }

  private EngineCompiler compiler() throws ReflectiveOperationException, NativeBindingException {
    String name = System.getProperty(COMPILER_PROPERTY);
    if (name != null) {
      log("WARN", COMPILER_PROPERTY + "=" + name + " replaces the ServiceLoader lookup (test/diagnostic hook)");
      return Class.forName(name).asSubclass(EngineCompiler.class).getDeclaredConstructor().newInstance();
    }
    List<ServiceLoader.Provider<EngineCompiler>> found = ServiceLoader.load(EngineCompiler.class).stream().toList();
    if (found.isEmpty()) {
      throw new NativeBindingException("ServiceLoader.load(EngineCompiler)",
          "no EngineCompiler on the class path (the TensorRT one is in edgeai4j-native-bindings)");
    }
    if (found.size() > 1) {
      throw new NativeBindingException("ServiceLoader.load(EngineCompiler)", "found " + found.size()
          + " EngineCompilers " + found.stream().map(p -> p.type().getName()).toList() + ", expected exactly one");
    }
    return found.get(0).get();
  }

  private void progress(String phase, int step, int steps) {
    print(BuildRequest.JSON.createObjectNode().put("type", "progress").put("phase", phase).put("step", step)
        .put("steps", steps));
  }

  private void log(String level, String message) {
    print(BuildRequest.JSON.createObjectNode().put("type", "log").put("level", level).put("message", message));
  }

  private synchronized void print(ObjectNode line) {
    out.println(line.toString());
  }
}
