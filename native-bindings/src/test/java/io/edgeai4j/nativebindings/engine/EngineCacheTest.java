package io.edgeai4j.nativebindings.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.CacheResult.Outcome;
import io.edgeai4j.nativebindings.engine.CacheResult.Rebuild;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineCacheTest {
  private static final BuildTarget ORIN = target("10.3.0.30", "Orin", 8, 7);

  @TempDir
  Path dir;
  private Path model;
  private Path buildLog;
  private EngineCache cache;

  private static BuildTarget target(String tensorRt, String gpu, int major, int minor) {
    return new BuildTarget(TensorRtVersion.parse(tensorRt), new GpuInfo(0, gpu, major, minor, true, 8L << 30));
  }

  @BeforeEach
  void setUp() throws Exception {
    model = Files.write(dir.resolve("model.onnx"), "a model".getBytes(StandardCharsets.UTF_8));
    buildLog = dir.resolve("builds.log");
    cache = new EngineCache(dir.resolve("cache"));
  }

  /** The real child-process builder running {@link FixedPlanCompiler}, which reports {@code tensorRt}. */
  private EngineBuilder builder(String tensorRt, long buildMillis) {
    return ChildProcessEngineBuilder.builder()
        .systemProperty(EngineBuilderMain.COMPILER_PROPERTY, FixedPlanCompiler.class.getName())
        .systemProperty("edgeai4j.test.tensorrt", tensorRt)
        .systemProperty("edgeai4j.test.buildLog", buildLog.toString())
        .systemProperty("edgeai4j.test.buildMillis", Long.toString(buildMillis))
        .build();
  }

  private CacheResult get(EngineBuildOptions options, BuildTarget target) throws Exception {
    return cache.getOrBuild(options, target, builder(target.tensorRt().toString(), 0), BuildProgress.NONE);
  }

  private long builds() throws Exception {
    return Files.exists(buildLog) ? Files.readAllLines(buildLog).size() : 0;
  }

  @Test
  void missThenHitWithTheEntryOnDisk() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).precision(Precision.FP16).build();

    CacheResult first = get(options, ORIN);
    CacheResult second = get(options, ORIN);

    assertThat(first.outcome()).isEqualTo(Outcome.MISS);
    assertThat(second.outcome()).isEqualTo(Outcome.HIT);
    assertThat(second.buildTime()).isZero();
    assertThat(builds()).isEqualTo(1);
    Path entry = cache.dir().resolve(first.key().digest());
    assertThat(second.plan()).isEqualTo(entry.resolve("engine.plan"));
    assertThat(Files.readAllBytes(second.plan())).isEqualTo(FixedPlanCompiler.expectedPlan(options));
    try (Stream<Path> files = Files.list(entry)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("engine.plan", "engine.json");
    }
    JsonNode meta = BuildRequest.JSON.readTree(entry.resolve("engine.json").toFile());
    assertThat(meta.path("key").path("tensorrt").asText()).isEqualTo("10.3.0.30");
    assertThat(meta.path("key").path("gpu").asText()).isEqualTo("Orin");
    assertThat(meta.path("key").path("computeCapability").asText()).isEqualTo("8.7");
    assertThat(meta.path("key").path("precision").asText()).isEqualTo("FP16");
    assertThat(meta.path("key").path("modelSha256").asText()).isEqualTo(Sha256.of(model));
    assertThat(meta.path("builderTensorRt").asText()).isEqualTo("10.3.0.30");
    assertThat(meta.path("planSha256").asText()).isEqualTo(Sha256.of(second.plan()));
    assertThat(meta.path("planBytes").asLong()).isEqualTo(Files.size(second.plan()));
    assertThat(meta.path("builtAt").asText()).isNotEmpty();
    assertThat(cache.sizeBytes()).isEqualTo(Files.size(second.plan()) + Files.size(entry.resolve("engine.json"))
        + Files.size(cache.dir().resolve(first.key().digest() + ".lock")));
  }

  @ParameterizedTest(name = "{0} builds a new entry")
  @CsvSource({"tensorrt version", "gpu", "compute capability", "model bytes"})
  void aChangedTargetOrModelBuildsAgain(String change) throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    CacheResult first = get(options, ORIN);
    BuildTarget target = switch (change) {
      case "tensorrt version" -> target("10.3.0.31", "Orin", 8, 7);
      case "gpu" -> target("10.3.0.30", "Orin Nano", 8, 7);
      case "compute capability" -> target("10.3.0.30", "Orin", 8, 9);
      default -> ORIN;
    };
    if (change.equals("model bytes")) {
      Files.writeString(model, "another model");
    }

    CacheResult second = get(options, target);

    assertThat(second.outcome()).isEqualTo(Outcome.MISS);
    assertThat(second.key().digest()).isNotEqualTo(first.key().digest());
    assertThat(first.plan()).as("no eviction: the older entry stays").exists();
    assertThat(builds()).isEqualTo(2);
    assertThat(Files.readAllBytes(second.plan())).isEqualTo(FixedPlanCompiler.expectedPlan(options));
  }

  @ParameterizedTest(name = "{0} -> rebuilt because {1}")
  @CsvSource({
      "flip a plan byte, CORRUPT_PLAN",
      "append to the plan, CORRUPT_PLAN",
      "delete the plan, MISSING_PLAN",
      "metadata not JSON, UNREADABLE_METADATA",
      "metadata of another TensorRT, STALE",
      "metadata of another GPU, STALE",
      "metadata of another model, STALE"})
  void aDamagedOrForeignEntryIsNeverLoadedButRemovedAndRebuilt(String damage, Rebuild reason) throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    Path plan = get(options, ORIN).plan();
    Path meta = plan.resolveSibling("engine.json");
    switch (damage) {
      case "flip a plan byte" -> {
        byte[] bytes = Files.readAllBytes(plan);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(plan, bytes);
      }
      case "append to the plan" -> Files.writeString(plan, "x", java.nio.file.StandardOpenOption.APPEND);
      case "delete the plan" -> Files.delete(plan);
      case "metadata not JSON" -> Files.writeString(meta, "{ not json");
      default -> {
        ObjectNode n = (ObjectNode) BuildRequest.JSON.readTree(meta.toFile());
        ObjectNode key = (ObjectNode) n.get("key");
        switch (damage) {
          case "metadata of another TensorRT" -> key.put("tensorrt", "10.3.0.29");
          case "metadata of another GPU" -> key.put("gpu", "Xavier");
          default -> key.put("modelSha256", "0".repeat(64));
        }
        Files.writeString(meta, n.toString());
      }
    }

    CacheResult again = get(options, ORIN);

    assertThat(again.outcome()).isEqualTo(Outcome.REBUILT);
    assertThat(again.rebuiltBecause()).contains(reason);
    assertThat(builds()).isEqualTo(2);
    assertThat(Files.readAllBytes(again.plan())).isEqualTo(FixedPlanCompiler.expectedPlan(options));
    assertThat(get(options, ORIN).outcome()).isEqualTo(Outcome.HIT);
  }

  @Test
  void aStaleEntrySaysWhichFieldDiffers() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    Path meta = get(options, ORIN).plan().resolveSibling("engine.json");
    ObjectNode n = (ObjectNode) BuildRequest.JSON.readTree(meta.toFile());
    ((ObjectNode) n.get("key")).put("tensorrt", "10.3.0.29");
    Files.writeString(meta, n.toString());

    assertThat(get(options, ORIN).detail()).isEqualTo("tensorrt: entry \"10.3.0.29\", wanted \"10.3.0.30\"");
  }

  @Test
  void aPlanFromAnotherTensorRtIsRefusedAndNotCached() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();

    NativeBindingException e = catchThrowableOfType(NativeBindingException.class,
        () -> cache.getOrBuild(options, ORIN, builder("10.3.0.29", 0), BuildProgress.NONE));

    assertThat(e.getMessage()).isEqualTo("engine cache: the builder's TensorRT 10.3.0.29 built the plan but the "
        + "target is TensorRT 10.3.0.30: it would not load there; the plan was deleted");
    assertThat(cache.dir().resolve(EngineCacheKey.of(options, ORIN).digest())).doesNotExist();
  }

  @Test
  void aFailedBuildLeavesNoEntry() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    EngineBuilder failing = ChildProcessEngineBuilder.builder()
        .systemProperty(EngineBuilderMain.COMPILER_PROPERTY, FailingCompiler.class.getName()).build();

    catchThrowableOfType(NativeBindingException.class,
        () -> cache.getOrBuild(options, ORIN, failing, BuildProgress.NONE));

    assertThat(cache.dir().resolve(EngineCacheKey.of(options, ORIN).digest())).doesNotExist();
  }

  @Test
  void twoThreadsBuildingTheSameKeyBuildOnce() throws Exception {
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    EngineBuilder slow = builder("10.3.0.30", 600);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<CacheResult> call = () -> cache.getOrBuild(options, ORIN, slow, BuildProgress.NONE);
      List<Future<CacheResult>> results = new ArrayList<>(pool.invokeAll(List.of(call, call)));
      assertThat(results.stream().map(f -> {
        try {
          return f.get().outcome();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      })).containsExactlyInAnyOrder(Outcome.MISS, Outcome.HIT);
    } finally {
      pool.shutdownNow();
    }
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void twoProcessesBuildingTheSameKeyBuildOnce() throws Exception {
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(),
        "-Dedgeai4j.test.buildLog=" + buildLog, "-Dedgeai4j.test.buildMillis=900",
        "-cp", System.getProperty("java.class.path"), CacheProcessMain.class.getName(),
        cache.dir().toString(), model.toString());
    Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Process b = new ProcessBuilder(cmd).redirectErrorStream(true).start();

    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(a.waitFor()).as(outA).isZero();
    assertThat(b.waitFor()).as(outB).isZero();
    assertThat(List.of(lastLine(outA), lastLine(outB))).containsExactlyInAnyOrder("MISS", "HIT");
    assertThat(builds()).isEqualTo(1);
    assertThat(get(EngineBuildOptions.builder(model).build(), ORIN).outcome()).isEqualTo(Outcome.HIT);
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
