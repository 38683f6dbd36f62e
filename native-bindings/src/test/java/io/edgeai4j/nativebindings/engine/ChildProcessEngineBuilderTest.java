package io.edgeai4j.nativebindings.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChildProcessEngineBuilderTest {
  @TempDir
  Path dir;

  private Path model() throws Exception {
    return Files.write(dir.resolve("model.onnx"), new byte[] {8, 7, 1, 2, 3});
  }

  private static ChildProcessEngineBuilder with(Class<? extends EngineCompiler> compiler, String... properties) {
    ChildProcessEngineBuilder.Builder b = ChildProcessEngineBuilder.builder()
        .systemProperty(EngineBuilderMain.COMPILER_PROPERTY, compiler.getName());
    for (int i = 0; i < properties.length; i += 2) {
      b.systemProperty(properties[i], properties[i + 1]);
    }
    return b.build();
  }

  record Update(String phase, int step, int steps) {
  }

  @Test
  void forwardsProgressInOrderAndWritesThePlan() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model()).precision(Precision.FP16)
        .profile(new ShapeProfile("x", new long[] {1, 4}, new long[] {8, 4}, new long[] {32, 4})).build();
    List<Update> updates = new CopyOnWriteArrayList<>();

    BuiltEngine built = with(FixedPlanCompiler.class, "edgeai4j.test.tensorrt", "10.3.0.30")
        .build(options, dir, (phase, step, steps) -> updates.add(new Update(phase, step, steps)));

    assertThat(updates).containsExactly(new Update("parsing model.onnx", 0, 1), new Update("parsing model.onnx", 1, 1),
        new Update("building", 1, 3), new Update("building", 2, 3), new Update("building", 3, 3));
    assertThat(built.plan()).hasParent(dir);
    assertThat(Files.readAllBytes(built.plan())).isEqualTo(FixedPlanCompiler.expectedPlan(options));
    assertThat(built.tensorRt()).isEqualTo(TensorRtVersion.parse("10.3.0.30"));
  }

  @Test
  void mapsTheCompilersErrorWithItsOperationAndCode() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model()).build();

    NativeBindingException e = catchThrowableOfType(NativeBindingException.class,
        () -> with(FailingCompiler.class).build(options, dir, BuildProgress.NONE));

    assertThat(e.operation()).isEqualTo("IBuilder.buildSerializedNetwork");
    assertThat(e.code()).hasValue(3);
    assertThat(e.getMessage()).startsWith("IBuilder.buildSerializedNetwork failed with code 3: in the engine builder"
        + " process: no engine: input 'x' is dynamic but has no optimization profile");
  }

  @Test
  void killsTheChildAtTheTimeoutAndNamesTheLastPhase() throws Exception {
    // Long enough for a child JVM to start and report its first phase on a loaded 2-core CI machine.
    Duration timeout = Duration.ofSeconds(8);
    EngineBuildOptions options = EngineBuildOptions.builder(model()).timeout(timeout).build();
    long start = System.nanoTime();

    NativeBindingException e = catchThrowableOfType(NativeBindingException.class,
        () -> with(SleepingCompiler.class).build(options, dir, BuildProgress.NONE));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(timeout, timeout.plus(ChildProcessEngineBuilder.EXIT_GRACE));
    assertThat(e.getMessage()).startsWith("engine build: timed out after 8 s (last progress phase: building); "
        + "killed the builder process ");
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.current().children()
        .noneMatch(p -> p.info().arguments().map(a -> List.of(a).contains(EngineBuilderMain.class.getName()))
            .orElse(false)));
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource({
      "halt:139, 139, SIGSEGV: a crash in native code",
      "halt:134, 134, SIGABRT",
      "kill:KILL, 137, 'SIGKILL: killed, e.g. by the out-of-memory killer'",
      "halt:3, 3, ''"})
  void aCrashNamesTheExitCodeAndTheStderrTail(String crash, int exitCode, String signal) throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model()).build();

    NativeBindingException e = catchThrowableOfType(NativeBindingException.class,
        () -> with(CrashingCompiler.class, "edgeai4j.test.crash", crash).build(options, dir, BuildProgress.NONE));

    assertThat(e.getMessage()).startsWith("engine build: the engine builder process exited with code " + exitCode
        + (signal.isEmpty() ? "" : " (" + signal + ")") + " without a result (last progress phase: building)")
        .contains("stderr (last ").endsWith("simulated native failure in tactic selection");
  }

  @Test
  void theChildGetsALargerStackAndTheNativeLibraryProperties() {
    String before = System.getProperty("org.bytedeco.javacpp.pathsFirst");
    System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
    try {
      List<String> cmd = ChildProcessEngineBuilder.builder().build().command();
      assertThat(cmd).contains("-Xss8m", "-Dorg.bytedeco.javacpp.pathsFirst=true",
          "-Djava.library.path=" + System.getProperty("java.library.path"));
      assertThat(cmd.subList(cmd.size() - 3, cmd.size()))
          .containsExactly("-cp", System.getProperty("java.class.path"), EngineBuilderMain.class.getName());
    } finally {
      if (before == null) {
        System.clearProperty("org.bytedeco.javacpp.pathsFirst");
      } else {
        System.setProperty("org.bytedeco.javacpp.pathsFirst", before);
      }
    }
  }

  /** Production lookup, no override: no GPU or TensorRT here, so the build must fail saying which is missing. */
  @Test
  void withoutTensorRtTheRealLookupSaysWhatIsMissing() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model()).build();
    boolean compilerRegistered = ServiceLoader.load(EngineCompiler.class).stream().findAny().isPresent();

    NativeBindingException e = catchThrowableOfType(NativeBindingException.class,
        () -> ChildProcessEngineBuilder.builder().build().build(options, dir, BuildProgress.NONE));

    if (compilerRegistered) {
      // the TensorRT compiler: libnvinfer, or the CUDA libraries the preset loads first (here the JNI glue stops
      // at "libjnicudart.so: libcuda.so.1: cannot open shared object file")
      assertThat(e.getMessage()).doesNotContain("no EngineCompiler").containsPattern("(?i)nvinfer|libcuda|cudart");
    } else {
      assertThat(e.getMessage()).isEqualTo("ServiceLoader.load(EngineCompiler): in the engine builder process: "
          + "no EngineCompiler on the class path (the TensorRT one is in edgeai4j-native-bindings)");
    }
  }
}
