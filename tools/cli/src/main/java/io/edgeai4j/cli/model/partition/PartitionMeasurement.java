package io.edgeai4j.cli.model.partition;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.optimize.partition.Candidate;
import io.edgeai4j.optimize.partition.Objective;
import io.edgeai4j.optimize.partition.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code edge model plan --measure N --data DIR}: deploys every candidate of a plan, each as its own device hierarchy
 * with the plan's emulated links in its own temporary directory ({@link CandidateRun}), all running at once; sends the
 * warm-up requests, then the measured ones round robin (request r to every candidate, each round starting one
 * candidate further, so that a change in the machine's load falls on every candidate alike; for the throughput
 * objective, each candidate's requests back to back, one candidate after the other), and puts each candidate's
 * end-to-end latency beside the prediction ({@link MeasurementReport}). Stops everything and deletes the directories
 * at the end. Stateless.
 */
public final class PartitionMeasurement {
  private PartitionMeasurement() {}

  /**
   * Measures each candidate of {@code plan}.
   *
   * @param threads per tier, the intra-op threads of its profile; its inference module runs with them
   * @param modelName the unsplit model's name
   * @param original the unsplit model's {@code model.json}, or null
   * @param progress where one line per candidate measured is printed, or null
   * @throws MeasurementException naming the candidate and the request at fault: a deployment that does not start,
   *     a part that does not load, an answer missing, an error, or not the unsplit model's
   */
  public static MeasurementReport measure(Plan plan, Map<String, Integer> threads, OnnxMl.ModelProto model,
      String modelName, JsonNode original, MeasureOptions options, PrintWriter progress) throws MeasurementException {
    MeasurementInputs inputs = MeasurementInputs.read(model, modelName, options.data(),
        options.warmup() + options.requests());
    boolean throughput = plan.objective() == Objective.THROUGHPUT;
    int n = plan.candidates().size();
    List<CandidateRun> runs = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    try {
      for (Candidate c : plan.candidates()) {
        Path dir;
        try {
          dir = Files.createTempDirectory("edge-plan-measure-");
        } catch (IOException e) {
          throw new MeasurementException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        dirs.add(dir);
        CandidateRun run = new CandidateRun(plan, c, threads, dir);
        runs.add(run);
        run.start(model, modelName, original, options.readyTimeout());
      }
      for (int k = 0; k < options.warmup(); k++) {
        for (CandidateRun run : runs) {
          run.once(inputs, k, options.answerTimeout());
        }
      }
      long[][] latencies = new long[n][options.requests()];
      double[] requestsPerSecond = new double[n];
      if (throughput) {
        for (int i = 0; i < n; i++) {
          CandidateRun.Burst burst = runs.get(i).burst(inputs, options.warmup(), options.requests(),
              options.answerTimeout());
          latencies[i] = burst.latencyNanos();
          requestsPerSecond[i] = burst.requestsPerSecond();
          progress(progress, plan, i, latencies[i]);
        }
      } else {
        // Round robin, each round starting one candidate further: drift in the machine's load falls on all alike.
        for (int r = 0; r < options.requests(); r++) {
          for (int j = 0; j < n; j++) {
            int i = (r + j) % n;
            latencies[i][r] = runs.get(i).once(inputs, options.warmup() + r, options.answerTimeout());
          }
        }
        for (int i = 0; i < n; i++) {
          requestsPerSecond[i] = options.requests() / (Arrays.stream(latencies[i]).sum() / 1e9);
          progress(progress, plan, i, latencies[i]);
        }
      }
      List<MeasurementReport.Row> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        runs.get(i).checkNoStrayAnswers();
        Candidate c = plan.candidates().get(i);
        rows.add(new MeasurementReport.Row(i, c.label(), c.kind(), c.totalMicros() / 1e3, c.requestsPerSecond(),
            LatencyStats.ofNanos(latencies[i]), requestsPerSecond[i], runs.get(i).exact(),
            runs.get(i).maxAbsDifference()));
      }
      return new MeasurementReport(plan, options.requests(), options.warmup(), inputs.size(), threads, rows);
    } finally {
      runs.forEach(CandidateRun::close);
      dirs.forEach(PartitionMeasurement::deleteAll);
    }
  }

  private static void progress(PrintWriter progress, Plan plan, int i, long[] nanos) {
    if (progress != null) {
      LatencyStats s = LatencyStats.ofNanos(nanos);
      progress.printf(Locale.ROOT, "measured #%d %s: %.3f ± %.3f ms (predicted %.3f ms)%n", i,
          plan.candidates().get(i).label(), s.meanMs(), s.ci95Ms(), plan.candidates().get(i).totalMicros() / 1e3);
      progress.flush();
    }
  }

  private static void deleteAll(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A temporary directory left behind is not worth failing a measurement for.
    }
  }
}
