package io.edgeai4j.hardwaretests.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeai4j.nativebindings.perf.Distribution;
import io.edgeai4j.hardwaretests.tegrastats.Range;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.style.Styler;

/**
 * Writes a {@link HardwareReport} into a directory (normally {@code hardware-tests/target/hardware-report/}):
 * {@value #JSON} (the whole report, Jackson), {@value #SUMMARY} (text tables) and {@value #HISTOGRAM} (the
 * per-query latency histogram of every model run, one series each; not written when there is no run, which the
 * summary says). Existing files are replaced. Immutable and thread-safe.
 */
public final class ReportWriter {

  /** The JSON report's file name. */
  public static final String JSON = "hardware-report.json";
  /** The text summary's file name. */
  public static final String SUMMARY = "summary.txt";
  /** The latency histogram's file name. */
  public static final String HISTOGRAM = "latency-histogram.png";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final int width;
  private final int height;
  private final int bins;

  /** A writer drawing a {@code width} x {@code height} histogram with {@code bins} bins. */
  public ReportWriter(int width, int height, int bins) {
    if (width < 100 || height < 100) {
      throw new IllegalArgumentException("histogram size " + width + "x" + height + ": expected at least 100x100");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("histogram bins " + bins + ": expected at least 1");
    }
    this.width = width;
    this.height = height;
    this.bins = bins;
  }

  /** 1000 x 600 pixels, 40 bins. */
  public static ReportWriter defaults() {
    return new ReportWriter(1000, 600, 40);
  }

  /** Writes the files into {@code dir} (created if needed) and returns {@code dir}. */
  public Path write(HardwareReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    MAPPER.writeValue(dir.resolve(JSON).toFile(), report);
    Files.writeString(dir.resolve(SUMMARY), summary(report), StandardCharsets.UTF_8);
    Path png = dir.resolve(HISTOGRAM);
    if (report.runs().stream().anyMatch(r -> !r.latenciesMs().isEmpty())) {
      try (OutputStream out = Files.newOutputStream(png)) {
        BitmapEncoder.saveBitmap(histogram(report), out, BitmapEncoder.BitmapFormat.PNG);
      }
    } else {
      Files.deleteIfExists(png);
    }
    return dir;
  }

  /** Reads a report written by {@link #write}. */
  public static HardwareReport read(Path json) throws IOException {
    return MAPPER.readValue(json.toFile(), HardwareReport.class);
  }

  CategoryChart histogram(HardwareReport report) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ModelRun run : report.runs()) {
      for (double v : run.latenciesMs()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (max == min) {
      max = min + 1e-3;
    }
    CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
        .title("Latency per query (H2D + GPU compute + D2H)").xAxisTitle("latency (ms)").yAxisTitle("queries")
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisDecimalPattern("0.###");
    chart.getStyler().setXAxisLabelRotation(45);
    for (ModelRun run : report.runs()) {
      if (!run.latenciesMs().isEmpty()) {
        // A mutable copy: Histogram checks contains(null), which an immutable list refuses.
        Histogram h = new Histogram(new ArrayList<>(run.latenciesMs()), bins, min, max);
        chart.addSeries(run.label(), h.getxAxisData(), h.getyAxisData());
      }
    }
    return chart;
  }

  /** The text summary. */
  static String summary(HardwareReport r) {
    StringBuilder s = new StringBuilder();
    s.append("edgeai4j hardware report, ").append(r.createdAt()).append(", host ").append(r.host()).append('\n');
    s.append("GPU: ").append(r.gpu() == null ? "none found"
        : r.gpu().name() + " (compute " + r.gpu().computeCapability() + (r.gpu().integrated() ? ", integrated" : "")
            + ", " + r.gpu().totalMemoryBytes() / (1024 * 1024) + " MiB)").append('\n');
    new TreeMap<>(r.versions()).forEach((k, v) -> s.append(k).append(": ").append(v).append('\n'));

    s.append("\nModel runs\n");
    if (r.runs().isEmpty()) {
      s.append("(none: no latency histogram written)\n");
    } else {
      s.append(String.format(Locale.ROOT, "%-32s %-9s %9s %11s %9s %7s %10s %9s %9s %9s %9s %9s %9s%n", "model",
          "precision", "build s", "max |diff|", "tolerance", "top-1", "qps", "mean ms", "median", "p90", "p95",
          "p99", "max"));
      for (ModelRun run : r.runs()) {
        Distribution l = run.latency().latency();
        s.append(String.format(Locale.ROOT, "%-32s %-9s %9s %11s %9s %7s %10.2f %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f%n",
            run.model(), run.precision(), run.engineBuildSeconds() == null ? "cached"
                : String.format(Locale.ROOT, "%.2f", run.engineBuildSeconds()),
            run.agreement() == null ? "-" : String.format(Locale.ROOT, "%.3g", run.agreement().maxAbsError()),
            run.agreement() == null ? "-" : String.format(Locale.ROOT, "%.3g", run.agreement().tolerance()),
            run.agreement() == null ? "-"
                : String.format(Locale.ROOT, "%.1f%%", 100 * run.agreement().top1Agreement()),
            run.latency().throughputQps(), l.mean(), l.median(), l.p90(), l.p95(), l.p99(), l.max()));
      }
      for (ModelRun run : r.runs()) {
        s.append('\n').append(run.label()).append('\n').append(run.latency().format());
      }
    }

    s.append("\nMemory\n");
    if (r.memory().isEmpty()) {
      s.append("(not recorded)\n");
    }
    for (MemoryUse m : r.memory()) {
      s.append(String.format(Locale.ROOT, "%-32s resident %s, heap used %.1f MiB%n", m.phase(),
          m.residentBytes() < 0 ? "unknown (no /proc/self/status)"
              : String.format(Locale.ROOT, "%.1f MiB", m.residentBytes() / 1048576.0),
          m.heapUsedBytes() / 1048576.0));
    }

    s.append("\ntegrastats\n");
    TegrastatsSummary t = r.tegrastats();
    if (t.unavailable() != null) {
      s.append(t.unavailable()).append('\n');
    } else {
      s.append(String.format(Locale.ROOT, "%d samples, %d lines not parsed%n", t.samples(), t.rejected()));
      s.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s%n", "", "min", "mean", "max"));
      new TreeMap<>(t.railsMw()).forEach((k, v) -> range(s, k + " mW", v));
      new TreeMap<>(t.temperaturesC()).forEach((k, v) -> range(s, k + " °C", v));
      if (t.ramUsedMb() != null) {
        range(s, "RAM used MB (of " + t.ramTotalMb() + ")", t.ramUsedMb());
      }
      if (t.gpuLoadPercent() != null) {
        range(s, "GR3D_FREQ %", t.gpuLoadPercent());
      }
    }
    return s.toString();
  }

  private static void range(StringBuilder s, String name, Range v) {
    s.append(String.format(Locale.ROOT, "%-24s %10.1f %10.1f %10.1f%n", name, v.min(), v.mean(), v.max()));
  }
}
