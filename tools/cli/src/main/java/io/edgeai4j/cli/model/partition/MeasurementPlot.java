package io.edgeai4j.cli.model.partition;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code edge model plan --measure --plot FILE.png}: measured mean end-to-end latency (with its 95 % interval) against
 * the predicted one, one point per candidate, and the line y = x, drawn by XChart as PNG; both axes logarithmic when
 * the latencies span more than 8×. Stateless.
 */
public final class MeasurementPlot {
  private MeasurementPlot() {}

  /**
   * Writes the plot through a temporary file beside it, moved into place.
   *
   * @throws IOException naming the file
   */
  public static void write(MeasurementReport report, Path file) throws IOException {
    XYChart chart = chart(report);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".plan-plot-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static XYChart chart(MeasurementReport report) {
    List<MeasurementReport.Row> rows = report.rows();
    XYChart chart = new XYChartBuilder().width(800).height(600)
        .title(report.plan().model() + " over " + report.links())
        .xAxisTitle("predicted end-to-end latency (ms)")
        .yAxisTitle("measured mean, 95 % interval (ms)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    double low = Double.MAX_VALUE;
    double high = 0;
    for (MeasurementReport.Row r : rows) {
      low = Math.min(low, Math.min(r.predictedMs(), r.measured().meanMs() - r.measured().ci95Ms()));
      high = Math.max(high, Math.max(r.predictedMs(), r.measured().meanMs() + r.measured().ci95Ms()));
    }
    // Latencies spanning more than 8× (a slow link) on logarithmic axes, so the low ones stay apart.
    boolean logarithmic = high > 8 * Math.max(low, 1e-3);
    low = logarithmic ? Math.max(low, 1e-3) * 0.8 : Math.max(0, low * 0.9);
    high = logarithmic ? high * 1.25 : high * 1.05;
    chart.getStyler().setXAxisLogarithmic(logarithmic).setYAxisLogarithmic(logarithmic);
    XYSeries identity = chart.addSeries("measured = predicted", new double[] {low, high}, new double[] {low, high});
    identity.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    identity.setMarker(SeriesMarkers.NONE);
    identity.setLineColor(Color.GRAY);
    identity.setLineStyle(new BasicStroke(1f));
    addPoints(chart, "candidate cuts", rows.stream().filter(r -> r.index() != report.plan().chosen()).toList(),
        Color.BLUE);
    addPoints(chart, "the planner's choice", List.of(report.chosen()), Color.RED);
    chart.getStyler().setXAxisMin(low).setXAxisMax(high).setYAxisMin(low).setYAxisMax(high);
    return chart;
  }

  private static void addPoints(XYChart chart, String name, List<MeasurementReport.Row> rows, Color color) {
    if (rows.isEmpty()) {
      return;
    }
    double[] x = rows.stream().mapToDouble(MeasurementReport.Row::predictedMs).toArray();
    double[] y = rows.stream().mapToDouble(r -> r.measured().meanMs()).toArray();
    double[] error = rows.stream().mapToDouble(r -> r.measured().ci95Ms()).toArray();
    XYSeries series = chart.addSeries(name, x, y, error);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setMarkerColor(color);
    series.setLineColor(color);
  }
}
