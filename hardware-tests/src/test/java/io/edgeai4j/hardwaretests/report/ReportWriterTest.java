package io.edgeai4j.hardwaretests.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.nativebindings.perf.InferenceTrace;
import io.edgeai4j.nativebindings.perf.LatencyStats;
import io.edgeai4j.hardwaretests.tegrastats.Range;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSummary;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir
  Path dir;

  @Test
  void writesJsonThatRoundTripsASummaryAndAHistogramOfTheRequestedSize() throws Exception {
    HardwareReport report = report(List.of(run("fault-classifier", Precision.FP32, 41.5, 0.1),
        run("fashion_mnist_cnn", Precision.FP16, null, 0.05)), tegrastats());

    Path out = new ReportWriter(640, 480, 20).write(report, dir.resolve("hardware-report"));

    assertThat(ReportWriter.read(out.resolve(ReportWriter.JSON))).isEqualTo(report);
    assertThat(Files.readString(out.resolve(ReportWriter.JSON))).contains("\"throughputQps\" : 1005.02512562814",
        "\"precision\" : \"FP16\"", "\"engineBuildSeconds\" : null", "\"VDD_IN\" : {", "\"computeMajor\" : 8")
        .doesNotContain("computeCapability", "\"label\"");
    BufferedImage png = ImageIO.read(out.resolve(ReportWriter.HISTOGRAM).toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isEqualTo(640);
    assertThat(png.getHeight()).isEqualTo(480);
    String summary = Files.readString(out.resolve(ReportWriter.SUMMARY));
    assertThat(summary)
        .contains("GPU: Orin (nvgpu) (compute 8.7, integrated, 7620 MiB)")
        .contains("preset tensorrt: 10.6-1.5.11")
        // latencies 0.26 + 0.01 i ms, i = 0..49: mean and median 0.505, p90 index 44, p95 index 47, p99 index 49;
        // walltime 49.77 - 0.02 ms, so 50 / 49.75 ms = 1005.03 qps.
        .containsPattern("fault-classifier +FP32 +41\\.50 +0\\.00120 +0\\.100 +99\\.5% +1005\\.03 +0\\.5050"
            + " +0\\.5050 +0\\.7000 +0\\.7300 +0\\.7500 +0\\.7500")
        .containsPattern("fashion_mnist_cnn +FP16 +cached")
        .contains("fault-classifier FP32\n=== Performance summary ===")
        .contains("start                            resident 200.0 MiB, heap used 50.0 MiB")
        .containsPattern("VDD_IN mW +3913\\.0 +5107\\.0 +5704\\.0")
        .containsPattern("tj °C +48\\.8 +53\\.5 +62\\.8")
        .containsPattern("RAM used MB \\(of 7620\\) +2461\\.0");
  }

  @Test
  void noRunsMeansNoHistogramAndTheSummarySaysSo() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(ReportWriter.HISTOGRAM), "stale");
    HardwareReport report = report(List.of(), TegrastatsSummary.unavailable("no tegrastats on this machine"
        + " (looked for an executable 'tegrastats' in [/usr/bin])"));

    ReportWriter.defaults().write(report, dir);

    assertThat(dir.resolve(ReportWriter.HISTOGRAM)).doesNotExist();
    assertThat(ReportWriter.read(dir.resolve(ReportWriter.JSON))).isEqualTo(report);
    assertThat(Files.readString(dir.resolve(ReportWriter.SUMMARY)))
        .contains("(none: no latency histogram written)")
        .contains("tegrastats\nno tegrastats on this machine (looked for an executable 'tegrastats' in [/usr/bin])");
  }

  @Test
  void aHistogramSmallerThanReadableIsRefused() {
    assertThatThrownBy(() -> new ReportWriter(50, 480, 20)).hasMessageContaining("histogram size 50x480");
    assertThatThrownBy(() -> new ReportWriter(640, 480, 0)).hasMessageContaining("histogram bins 0");
  }

  private static HardwareReport report(List<ModelRun> runs, TegrastatsSummary tegrastats) {
    return new HardwareReport("2026-12-07T08:00:00Z", "orin-nano", new GpuInfo(0, "Orin (nvgpu)", 8, 7, true,
        7620L * 1024 * 1024), Map.of("preset tensorrt", "10.6-1.5.11", "l4t", "# R36 (release), REVISION: 4.0"),
        runs, List.of(new MemoryUse("start", 200L * 1024 * 1024, 50L * 1024 * 1024)), tegrastats);
  }

  /** 50 queries at 0.5 ms steps with compute growing by 0.01 ms, so the latencies spread over the histogram. */
  private static ModelRun run(String model, Precision precision, Double buildSeconds, double tolerance) {
    List<InferenceTrace> trace = new ArrayList<>();
    List<Double> latencies = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < 50; i++) {
      double compute = 0.2 + 0.01 * i;
      InferenceTrace q = new InferenceTrace(t, t + 0.02, t + 0.02, t + 0.05, t + 0.05, t + 0.05 + compute,
          t + 0.05 + compute, t + 0.08 + compute);
      trace.add(q);
      latencies.add(q.latencyMs());
      t += 1;
    }
    return new ModelRun(model, precision, buildSeconds, new Agreement(0.0012, 0.0003, tolerance, 0.995),
        LatencyStats.of(trace, Duration.ZERO, 1), latencies);
  }

  private static TegrastatsSummary tegrastats() {
    return new TegrastatsSummary(null, 3,
        Map.of("VDD_IN", new Range(3913, 5107, 5704, 3), "VDD_SOC", new Range(1238, 1495.33, 1624, 3)),
        Map.of("tj", new Range(48.843, 53.51, 62.843, 3)), new Range(2461, 2694.67, 3162, 3), 7620L,
        new Range(0, 0.33, 1, 3), 1, List.of("tegrastats: not a sample line"));
  }
}
