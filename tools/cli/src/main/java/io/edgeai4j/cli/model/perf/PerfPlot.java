package io.edgeai4j.cli.model.perf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The sweep's plot, drawn by XChart: throughput (left axis) and p99 latency (right axis) against concurrency, as PNG
 * or SVG by the file's extension. Stateless.
 */
public final class PerfPlot {
  /** The plot formats, by file extension. */
  public enum Format {
    PNG, SVG;

    /**
     * The format of a file name.
     *
     * @throws IllegalArgumentException Naming the file and the extensions expected.
     */
    public static Format of(Path file) {
      String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
      if (name.endsWith(".png")) {
        return PNG;
      }
      if (name.endsWith(".svg")) {
        return SVG;
      }
      throw new IllegalArgumentException("--plot: '" + file + "' must end in .png or .svg");
    }
  }

  private PerfPlot() {}

  /** Writes the plot (through a temporary file beside it, moved into place). */
  public static void write(PerfReport report, Path file) throws IOException {
    Format format = Format.of(file);
    XYChart chart = chart(report);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".perf-plot-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        if (format == Format.PNG) {
          BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } else {
          VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static XYChart chart(PerfReport report) {
    String batching = report.batching().maxBatchSize() > 1 ? "batching on" : "batching off";
    XYChart chart = new XYChartBuilder().width(900).height(540)
        .title(report.model() + ": " + batching + ", "
            + report.batching().instances() + " instance(s)")
        .xAxisTitle("concurrency (requests outstanding)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    // Plain numbers on both axes (507,184 and 0.043), not XChart's 5E5.
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    List<LevelResult> levels = report.levels();
    List<Integer> x = levels.stream().map(LevelResult::concurrency).toList();
    XYSeries throughput = chart.addSeries("throughput (infer/s)", x,
        levels.stream().map(LevelResult::throughput).toList());
    throughput.setYAxisGroup(0);
    XYSeries p99 = chart.addSeries("p99 latency (ms)", x, levels.stream().map(l -> l.p99Micros() / 1000).toList());
    p99.setYAxisGroup(1);
    chart.setYAxisGroupTitle(0, "inferences per second");
    chart.setYAxisGroupTitle(1, "p99 latency (ms)");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    return chart;
  }
}
