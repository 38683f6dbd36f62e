package io.edgeai4j.hardwaretests.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgeai4j.hardwaretests.JetsonHardware;
import io.edgeai4j.hardwaretests.report.Agreement;
import io.edgeai4j.hardwaretests.report.HardwareReport;
import io.edgeai4j.hardwaretests.report.MemoryUse;
import io.edgeai4j.hardwaretests.report.ModelRun;
import io.edgeai4j.hardwaretests.report.ReportWriter;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSampler;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSummary;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.engine.CacheResult;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineCache;
import io.edgeai4j.nativebindings.perf.InferenceTrace;
import io.edgeai4j.nativebindings.perf.LatencyStats;
import io.edgeai4j.nativebindings.tensorrt.ExecutionContext;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.TensorRtEngine;
import io.edgeai4j.nativebindings.tensorrt.TensorRtRuntime;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Phase 2 of the Jetson suite, against {@code native-bindings} directly: FP32, FP16 and INT8 engines of the two
 * bundled models built through the {@link EngineCache} in the child process, their outputs compared with ONNX Runtime
 * CPU on the same rows (tolerances in the table below, justified in the README), then latency and throughput in
 * trtexec's terms at batch 1 and the profile's largest batch with tegrastats sampling, memory at each step; all in
 * the report under {@code target/hardware-report/engines/}.
 */
@JetsonHardware
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TensorRtEnginesHardwareTest {
  /** trtexec's default warm-up. */
  static final Duration WARMUP = Duration.ofMillis(200);
  /** Timed queries per batch size after the warm-up. */
  static final int QUERIES = 1000;
  static final Duration TEGRASTATS_INTERVAL = Duration.ofMillis(100);

  @TempDir Path work;

  private BuildTarget target;
  private EngineCache cache;
  private final ChildProcessEngineBuilder builder = ChildProcessEngineBuilder.builder().build();
  private final Map<BundledModel, BundledModel.Rows> rows = new EnumMap<>(BundledModel.class);
  private final Map<BundledModel, float[]> fp32Reference = new EnumMap<>(BundledModel.class);
  private final Map<BundledModel, Path> qdqModels = new EnumMap<>(BundledModel.class);
  private final Map<String, Loaded> loaded = new LinkedHashMap<>();
  private final List<MemoryUse> memory = new ArrayList<>();
  private final List<ModelRun> runs = new ArrayList<>();
  private TegrastatsSummary tegrastats;

  /** An engine loaded for the latency runs, with what the build and the agreement measured. */
  private record Loaded(BundledModel model, Precision precision, EngineRuns runs, Double buildSeconds,
      Agreement agreement) { }

  @BeforeAll
  void loadTensorRtAndTheReferenceData() throws Exception {
    memory.add(GpuSuite.memory("start"));
    target = GpuSuite.target();
    cache = new EngineCache(work.resolve("engine-cache"));
    for (BundledModel m : BundledModel.values()) {
      BundledModel.Rows r = m.evaluationRows();
      rows.put(m, r);
      fp32Reference.put(m, OnnxRuntimeCpu.run(m.file(), m, r, BundledModel.MAX_BATCH));
      qdqModels.put(m, m.quantizeForTensorRt(m.writeCalibration(work), work));
    }
    memory.add(GpuSuite.memory("TensorRT loaded, reference data ready"));
  }

  /**
   * Per precision: the largest |TensorRT - ONNX Runtime| allowed on the probabilities, and the smallest share of
   * rows with the same top-1 class. INT8 is compared with ONNX Runtime running the same QDQ model; its values are
   * reported, not bounded (tolerance 1: TensorRT fuses and requantizes at other points than ONNX Runtime's CPU
   * kernels), and its accuracy must be within 1 point of that model's on ONNX Runtime and of fp32's.
   */
  @Order(1)
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(textBlock = """
      # model,          precision, max |diff|, top-1 agreement
      FAULT_CLASSIFIER, FP32,      5e-3,       0.99
      FAULT_CLASSIFIER, FP16,      2e-2,       0.99
      FAULT_CLASSIFIER, INT8,      1,          0.99
      FASHION_MNIST,    FP32,      5e-3,       0.99
      FASHION_MNIST,    FP16,      2e-2,       0.99
      FASHION_MNIST,    INT8,      1,          0.99
      """)
  void buildsThroughTheCacheAndAgreesWithOnnxRuntime(BundledModel m, Precision precision, double tolerance,
      double top1) throws Exception {
    Path onnx = precision == Precision.INT8 ? qdqModels.get(m) : m.file();
    EngineBuildOptions options = EngineBuildOptions.builder(onnx).precision(precision).profile(m.profile())
        .timingCache(work.resolve("timing.cache")).build();
    if (precision == Precision.FP16 && target.tensorRt().major() >= 11) {
      // TensorRT 11 has no FP16 builder flag: the documented refusal, from the child process.
      assertThatThrownBy(() -> cache.getOrBuild(options, target, builder, BuildProgress.NONE))
          .isInstanceOf(NativeBindingException.class)
          .hasMessageContaining("TensorRT 11 has no FP16 builder flag")
          .hasMessageContaining("edge model convert --fp16");
      return;
    }
    String label = m.label + " " + precision;
    CacheResult built = cache.getOrBuild(options, target, builder, BuildProgress.NONE);
    assertThat(built.outcome()).as(label + ": a fresh cache builds").isEqualTo(CacheResult.Outcome.MISS);
    assertThat(built.plan()).isRegularFile();
    double buildSeconds = built.buildTime().toNanos() / 1e9;

    memory.add(GpuSuite.memory(label + " before engine load"));
    TensorRtEngine engine = TensorRtRuntime.get().deserialize(Files.readAllBytes(built.plan()));
    ExecutionContext context = engine.newContext(target.gpu().integrated());
    memory.add(GpuSuite.memory(label + " engine loaded"));
    EngineRuns engineRuns = new EngineRuns(m, engine, context);

    BundledModel.Rows r = rows.get(m);
    float[] trt = engineRuns.run(r, BundledModel.MAX_BATCH);
    float[] reference = precision == Precision.INT8
        ? OnnxRuntimeCpu.run(onnx, m, r, BundledModel.MAX_BATCH) : fp32Reference.get(m);
    Agreement agreement = Agreement.compare(reference, trt, m.classes, tolerance);
    memory.add(GpuSuite.memory(label + " after agreement runs"));
    loaded.put(label, new Loaded(m, precision, engineRuns, buildSeconds, agreement));
    System.out.printf(Locale.ROOT, "%s: built in %.1f s; max |diff| %.2e (tolerance %.0e), mean %.2e, top-1"
            + " agreement %.2f %%%n", label, buildSeconds, agreement.maxAbsError(), tolerance,
        agreement.meanAbsError(), 100 * agreement.top1Agreement());

    assertThat(agreement.maxAbsError()).as(label + ": max |TensorRT - ONNX Runtime CPU|").isLessThanOrEqualTo(
        tolerance);
    assertThat(agreement.top1Agreement()).as(label + ": top-1 agreement with ONNX Runtime CPU")
        .isGreaterThanOrEqualTo(top1);
    if (precision == Precision.INT8) {
      double accuracy = Agreement.accuracy(trt, m.classes, r.labels());
      double ortInt8 = Agreement.accuracy(reference, m.classes, r.labels());
      double fp32 = Agreement.accuracy(fp32Reference.get(m), m.classes, r.labels());
      System.out.printf(Locale.ROOT, "%s: top-1 accuracy %.2f %% (ONNX Runtime: QDQ model %.2f %%, fp32 %.2f %%)%n",
          label, 100 * accuracy, 100 * ortInt8, 100 * fp32);
      assertThat(accuracy).as(label + ": accuracy against the QDQ model's on ONNX Runtime").isCloseTo(ortInt8,
          within(0.01));
      assertThat(accuracy).as(label + ": accuracy against fp32 on ONNX Runtime").isCloseTo(fp32, within(0.01));
    }
  }

  /** trtexec's figures for every engine built above, at batch 1 and the profile's largest batch. */
  @Order(2)
  @Test
  void latencyAndThroughputInTrtexecsTerms() throws Exception {
    assertThat(loaded).as("engines loaded by the build test (run the class, not this method alone)").isNotEmpty();
    try (TegrastatsSampler sampler = TegrastatsSampler.startIfPresent(System.getenv("PATH"), TEGRASTATS_INTERVAL)) {
      for (Loaded l : loaded.values()) {
        for (int batch : new int[] {1, BundledModel.MAX_BATCH}) {
          List<InferenceTrace> traces = l.runs().timed(rows.get(l.model()), batch, WARMUP, QUERIES);
          LatencyStats stats = LatencyStats.of(traces, WARMUP, batch);
          List<Double> latencies = traces.stream().filter(t -> t.computeStartMs() >= WARMUP.toNanos() / 1e6)
              .map(InferenceTrace::latencyMs).toList();
          String model = l.model().label + " batch " + batch;
          runs.add(new ModelRun(model, l.precision(), l.buildSeconds(), l.agreement(), stats, latencies));
          System.out.println("=== " + model + " " + l.precision() + " ===\n" + stats.format());

          assertThat(stats.queries()).as(model).isEqualTo(QUERIES);
          assertThat(stats.throughputQps()).as(model + " throughput").isPositive();
          assertThat(stats.gpuCompute().mean()).as(model + " mean GPU compute (ms)").isPositive();
        }
        memory.add(GpuSuite.memory(l.model().label + " " + l.precision() + " after timed runs"));
      }
      tegrastats = sampler.stop();
    }
  }

  @AfterAll
  void writeTheReportAndCloseTheContexts() throws Exception {
    if (target == null) {
      return;
    }
    for (Loaded l : loaded.values()) {
      l.runs().close();
    }
    HardwareReport report = new HardwareReport(Instant.now().toString(), InetAddress.getLocalHost().getHostName(),
        target.gpu(), GpuSuite.versions(target), runs, memory, tegrastats != null ? tegrastats
            : TegrastatsSummary.unavailable("the timed runs did not run"));
    Path dir = ReportWriter.defaults().write(report, GpuSuite.reportDirectory("engines"));
    System.out.println("hardware report: " + dir.toAbsolutePath());
  }
}
