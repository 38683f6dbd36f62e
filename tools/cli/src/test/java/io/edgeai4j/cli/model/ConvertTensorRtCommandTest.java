package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.cli.model.trt.BuildTargets;
import io.edgeai4j.cli.model.trt.PlanCompiler;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineBuilderMain;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code edge model convert --to tensorrt}: its usage errors, the refusal on this machine (no TensorRT) with the
 * probe's reasons, and, with a test target and a test compiler run in the real builder child process, the build,
 * the cache hit of the second run, the printed entry and the options that reach the child.
 */
class ConvertTensorRtCommandTest {
  private static final BuildTargets ORIN = () -> new BuildTarget(TensorRtVersion.parse(PlanCompiler.VERSION),
      new GpuInfo(0, "Orin", 8, 7, true, 7L << 30));

  @TempDir Path dir;
  private Path model;
  private Path cache;
  private Path buildLog;

  @BeforeEach
  void writeModel() throws Exception {
    model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {4, 8, 2}, 3);
    cache = dir.resolve("engines");
    buildLog = dir.resolve("builds.log");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--opset                 | --to tensorrt --opset 13 mlp.onnx                    | 2  | --opset is for --to onnx",
      "--fp16-io               | --to tensorrt --fp16 --fp16-io mlp.onnx              | 2  | --fp16-io is for --to onnx",
      "two files               | --to tensorrt mlp.onnx out.onnx                      | 2  | --to tensorrt takes one MODEL, found a second file",
      "no colon                | --to tensorrt --shapes x1x4 mlp.onnx                 | 2  | --shapes: entry 'x1x4' has no ':'",
      "range incomplete        | --to tensorrt --min-shapes x:1x4 mlp.onnx            | 2  | missing from --opt-shapes, --max-shapes",
      "fixed and range         | --to tensorrt --shapes x:1x4 --min-shapes x:1x4 --opt-shapes x:1x4 --max-shapes x:1x4 mlp.onnx | 2 | is in --shapes (a fixed shape) and in --min/--opt/--max-shapes",
      "workspace 0             | --to tensorrt --workspace 0 mlp.onnx                 | 2  | --workspace 0: expected a size in MiB, at least 1",
      "timeout 0               | --to tensorrt --timeout 0s mlp.onnx                  | 2  | '0s' must be a positive duration",
      "unknown target          | --to coreml mlp.onnx out.onnx                        | 2  | expected one of [onnx, tensorrt]",
      "engine options for onnx | --shapes x:1x4 --timeout 5m --fp16 mlp.onnx out.onnx | 2  | --shapes, --timeout apply to --to tensorrt; this is --to onnx",
      "onnx without OUTPUT     | --fp16 mlp.onnx                                      | 2  | OUTPUT.onnx is missing",
      "missing model           | --to tensorrt none.onnx                              | 66 | MODEL: '",
      "not a model             | --to tensorrt broken.onnx                            | 65 | MODEL: ",
      "--output dir missing    | --to tensorrt --output no/such/e.plan mlp.onnx       | 73 | --output: cannot write",
  })
  void refusesBadInvocationsBeforeAnythingStarts(String name, String arguments, int exitCode, String message)
      throws Exception {
    Files.writeString(dir.resolve("broken.onnx"), "not a model");

    CliRun run = CliRun.of(args(arguments));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(dir.resolve("out.onnx")).doesNotExist();
    assertThat(cache).doesNotExist();
  }

  @Test
  void withoutTensorRtItExits69WithTheProbesReasonsAndStartsNoBuild() {
    TensorRtAvailability probe = TensorRt.probe();
    assumeFalse(probe.available(), "TensorRT is usable here: this test is about a machine without it");

    CliRun run = CliRun.of(args("--to tensorrt --engine-cache engines mlp.onnx"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).startsWith("edge model convert: TensorRT is not available here, so no engine can be built"
        + " (nothing was started):\n")
        .contains("libnvinfer.so." + TensorRt.presetVersion().major() + " not found")
        .contains("-Dedgeai4j.tensorrt.libraryPath=DIR");
    probe.reasons().forEach(reason -> assertThat(run.err()).contains("  - " + reason + "\n"));
    assertThat(run.out()).isEmpty();
    assertThat(cache).as("the cache is created by the first build, which never started").doesNotExist();
  }

  @Test
  void buildsInAChildProcessThenFindsTheEngineInTheCache() throws Exception {
    Path plan = dir.resolve("copy.plan");

    Run first = convert("--to", "tensorrt", "--min-shapes", "x:1x4", "--opt-shapes", "x:8x4", "--max-shapes",
        "x:32x4", "--workspace", "64", "--engine-cache", cache.toString(), "--output", plan.toString(),
        model.toString());

    assertThat(first.exitCode).as(first.err).isZero();
    assertThat(first.err).contains("building mlp.onnx at FP32 (a float model, no --fp16) for TensorRT 10.3.0.30 on"
        + " Orin").contains("parsing mlp.onnx [##############################] 1/1")
        .contains("building [##############################] 3/3");
    String digest = field(first.out, "key");
    Path engine = cache.resolve(digest).resolve("engine.plan");
    assertThat(first.out).contains("engine:    " + engine + "\n")
        .containsPattern("cache: +miss, built in \\d+\\.\\d\\d s\n")
        .contains("precision: FP32, profiles [x:min=1x4,opt=8x4,max=32x4], workspace 64 MiB\n")
        .contains("TensorRT:  10.3.0.30 (presets " + TensorRt.presetVersion() + ")\n")
        .contains("GPU:       Orin, compute capability 8.7\n")
        .contains("copied to: " + plan);
    assertThat(Files.readString(engine)).isEqualTo("plan FP32 x[1, 4][8, 4][32, 4] workspace 67108864 timing cache"
        + " none");
    assertThat(plan).hasSameBinaryContentAs(engine);

    Run second = convert("--to", "tensorrt", "--min-shapes", "x:1x4", "--opt-shapes", "x:8x4", "--max-shapes",
        "x:32x4", "--workspace", "64", "--engine-cache", cache.toString(), model.toString());

    assertThat(second.exitCode).as(second.err).isZero();
    assertThat(field(second.out, "key")).isEqualTo(digest);
    assertThat(second.out).contains("engine:    " + engine + "\n").contains("cache:     hit");
    assertThat(second.err).doesNotContain("building [");
    assertThat(Files.readAllLines(buildLog)).as("one child build for two runs").hasSize(1);
  }

  @Test
  void fixedShapesTheTimingCacheAndFp16ReachTheChild() throws Exception {
    Path timing = dir.resolve("timing.cache");

    Run run = convert("--to", "tensorrt", "--fp16", "--shapes", "x:2x4", "--timing-cache", timing.toString(),
        "--engine-cache", cache.toString(), model.toString());

    if (TensorRt.presetVersion().major() >= 11) {
      assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err).contains("edge model convert: --fp16: precision FP16").contains("TensorRT 11 has no FP16"
          + " builder flag");
      assertThat(cache).doesNotExist();
      return;
    }
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("precision: FP16, profiles [x:min=2x4,opt=2x4,max=2x4], workspace 1024 MiB");
    Path engine = cache.resolve(field(run.out, "key")).resolve("engine.plan");
    assertThat(Files.readString(engine)).isEqualTo("plan FP16 x[2, 4][2, 4][2, 4] workspace 1073741824 timing"
        + " cache " + timing);
  }

  @Test
  void aQdqModelBuildsAtInt8AndRefusesFp16() throws Exception {
    Path qdq = dir.resolve("mlp.qdq.onnx");
    CliRun quantize = CliRun.of("model", "quantize", "--weight-only", model.toString(), qdq.toString());
    assertThat(quantize.exitCode()).as(quantize.err()).isZero();

    Run int8 = convert("--to", "tensorrt", "--engine-cache", cache.toString(), qdq.toString());
    Run fp16 = convert("--to", "tensorrt", "--fp16", "--engine-cache", cache.toString(), qdq.toString());

    assertThat(int8.exitCode).as(int8.err).isZero();
    assertThat(int8.err).containsPattern("at INT8 \\(the model holds \\d+ DequantizeLinear");
    assertThat(int8.out).contains("precision: INT8, profiles none");
    assertThat(fp16.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(fp16.err).contains("--fp16: '" + qdq + "' is a QDQ model (").contains("drop --fp16");
  }

  @Test
  void aCorruptPlanInTheCacheIsRebuiltAndTheOutputSaysWhy() throws Exception {
    Run first = convert("--to", "tensorrt", "--engine-cache", cache.toString(), model.toString());
    Path engine = cache.resolve(field(first.out, "key")).resolve("engine.plan");
    Files.writeString(engine, "not the plan that was built");

    Run second = convert("--to", "tensorrt", "--engine-cache", cache.toString(), model.toString());

    assertThat(second.exitCode).as(second.err).isZero();
    assertThat(second.out).containsPattern("cache: +rebuilt, CORRUPT_PLAN: " + Pattern.quote(engine.toString())
        + " has 27 bytes, engine.json recorded \\d+; built in \\d+\\.\\d\\d s\n");
    assertThat(Files.readString(engine)).startsWith("plan FP32");
    assertThat(Files.readAllLines(buildLog)).hasSize(2);
  }

  @Test
  void aBuildPastTimeoutIsKilledAndReportedWithExit70() {
    Run run = convert(List.of("edgeai4j.test.buildMillis", "60000"), "--to", "tensorrt", "--timeout", "2s",
        "--engine-cache", cache.toString(), model.toString());

    assertThat(run.exitCode).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(run.err).contains("edge model convert: the engine build failed: engine build: timed out after 2 s")
        .contains("killed the builder process");
    assertThat(run.out).isEmpty();
  }

  private record Run(int exitCode, String out, String err) {}

  private Run convert(String... args) {
    return convert(List.of(), args);
  }

  /**
   * The command with the test target and the real child-process builder running {@link PlanCompiler}, with the
   * child's extra system properties as name, value pairs.
   */
  private Run convert(List<String> properties, String... args) {
    ConvertCommand command = new ConvertCommand(ORIN, () -> {
      ChildProcessEngineBuilder.Builder b = ChildProcessEngineBuilder.builder()
          .systemProperty(EngineBuilderMain.COMPILER_PROPERTY, PlanCompiler.class.getName())
          .systemProperty("edgeai4j.test.buildLog", buildLog.toString());
      for (int i = 0; i < properties.size(); i += 2) {
        b.systemProperty(properties.get(i), properties.get(i + 1));
      }
      return b.build();
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String[] args(String arguments) {
    List<String> args = new ArrayList<>(List.of("model", "convert"));
    for (String word : arguments.split(" +")) {
      args.add(word.endsWith(".onnx") || word.equals("engines") ? dir.resolve(word).toString()
          : word.endsWith(".plan") ? dir.resolve(word).toString() : word);
    }
    return args.toArray(String[]::new);
  }

  private static String field(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": +(\\S+)").matcher(out);
    assertThat(m.find()).as(name + " in " + out).isTrue();
    return m.group(1);
  }
}
