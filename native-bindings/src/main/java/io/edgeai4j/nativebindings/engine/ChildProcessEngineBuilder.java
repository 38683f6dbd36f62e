package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.NativeBindingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds engines in a child JVM ({@link EngineBuilderMain}) with the same class path, so everything TensorRT's
 * builder allocates (which the 10.x/11.x presets cannot free from Java) returns to the system when the child exits.
 * The child gets {@code -Xss8m}, the parent's {@code java.library.path} and {@code org.bytedeco.*} properties and
 * those added with {@link Builder#systemProperty}. The build is bounded by {@link EngineBuildOptions#timeout()}:
 * past it the child's process tree is destroyed forcibly. Immutable and thread-safe: each {@link #build} starts
 * its own child.
 */
public final class ChildProcessEngineBuilder implements EngineBuilder {
  /** How long a killed or finished child may take to exit and flush its output. */
  static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final Path javaExecutable;
  private final String classPath;
  private final Map<String, String> systemProperties;

  private ChildProcessEngineBuilder(Builder b) {
    this.javaExecutable = b.javaExecutable;
    this.classPath = b.classPath;
    this.systemProperties = Map.copyOf(b.systemProperties);
  }

  /** A builder with this JVM's executable and class path. */
  public static Builder builder() {
    return new Builder();
  }

  /** The child's command line: java, JVM options, {@code -cp}, the main class. */
  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable.toString());
    cmd.add("-Xss8m");
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream().sorted()
        .filter(k -> k.equals("java.library.path") || k.startsWith("org.bytedeco."))
        .forEach(k -> props.put(k, System.getProperty(k)));
    props.putAll(systemProperties);
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(EngineBuilderMain.class.getName());
    return cmd;
  }

  @Override
  public BuiltEngine build(EngineBuildOptions options, Path outputDir, BuildProgress progress)
      throws NativeBindingException {
    Objects.requireNonNull(progress, "progress");
    Process process;
    try {
      process = new ProcessBuilder(command()).start();
    } catch (IOException e) {
      throw new NativeBindingException("start engine builder " + javaExecutable, null, e.getMessage(), e);
    }
    BuilderOutput output = new BuilderOutput(process, progress);
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(new BuildRequest(options, outputDir).toJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The child died before reading its request: its exit code and stderr say why, below.
    }
    try {
      if (!process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        destroyTree(process);
        output.join(EXIT_GRACE);
        throw new NativeBindingException("engine build", null, "timed out after " + human(options.timeout())
            + " (last progress phase: " + output.lastPhase() + "); killed the builder process " + process.pid()
            + " and its descendants" + output.stderrTail(), null);
      }
      output.join(EXIT_GRACE);
    } catch (InterruptedException e) {
      destroyTree(process);
      Thread.currentThread().interrupt();
      throw new NativeBindingException("engine build", null, "interrupted; killed the builder process "
          + process.pid(), e);
    }
    return output.result(process.exitValue());
  }

  /** Kills the child and its descendants; waits up to {@link #EXIT_GRACE} for the child to be gone. */
  private static void destroyTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.onExit().get(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // reported by the caller's message: the process id is named there
    }
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Builds a {@link ChildProcessEngineBuilder}. */
  public static final class Builder {
    private Path javaExecutable = currentJava();
    private String classPath = System.getProperty("java.class.path");
    private final Map<String, String> systemProperties = new LinkedHashMap<>();

    private Builder() {
    }

    /** The JVM to start; default this one's ({@code ProcessHandle} command, else {@code java.home/bin/java}). */
    public Builder javaExecutable(Path javaExecutable) {
      this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
      return this;
    }

    /** The child's class path; default this JVM's {@code java.class.path}. */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /** A {@code -Dname=value} for the child, e.g. {@link EngineBuilderMain#COMPILER_PROPERTY}. */
    public Builder systemProperty(String name, String value) {
      systemProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public ChildProcessEngineBuilder build() {
      if (classPath.isBlank()) {
        throw new IllegalArgumentException("the engine builder's class path is empty, expected the one holding "
            + EngineBuilderMain.class.getName());
      }
      return new ChildProcessEngineBuilder(this);
    }

    private static Path currentJava() {
      return ProcessHandle.current().info().command().map(Path::of)
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }
  }
}
