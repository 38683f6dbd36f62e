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
 * {@code edge model plan --measure N --data DIR}: deploys each candidate of a plan in turn as its own device hierarchy
 * with the plan's emulated links, in its own temporary directory ({@link CandidateRun}; one at a time, as each tier's
 * machine would run only its own deployment), sends the warm-up requests and then the measured ones, stops it and
 * deletes the directory. For the latency objective the requests go one at a time in two passes, the first half in the
 * plan's order and the second in reverse, so that a drift of the machine's load and the JVM's warming fall on every
 * candidate about alike; for the throughput objective each candidate's requests go back to back in one pass. Puts
 * each candidate's end-to-end latency beside the prediction ({@link MeasurementReport}). Stateless.
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
    long[][] latencies = new long[n][options.requests()];
    double[] requestsPerSecond = new double[n];
    double[] worst = new double[n];
    boolean[] exact = new boolean[n];
    if (throughput) {
      for (int i = 0; i < n; i++) {
        try (Deployed d = Deployed.start(plan, i, threads, model, modelName, original, options, inputs)) {
          CandidateRun.Burst burst = d.run().burst(inputs, options.warmup(), options.requests(),
              options.answerTimeout());
          System.arraycopy(burst.latencyNanos(), 0, latencies[i], 0, options.requests());
          requestsPerSecond[i] = burst.requestsPerSecond();
          d.finish(worst, exact);
        }
        progress(progress, plan, i, latencies[i]);
      }
    } else {
      // Two passes, the second in reverse order (ABBA): a drift of the machine's load, and the first candidate's
      // colder JVM, fall on every candidate about alike.
      int first = (options.requests() + 1) / 2;
      for (int pass = 0; pass < 2; pass++) {
        int from = pass == 0 ? 0 : first;
        int to = pass == 0 ? first : options.requests();
        if (from == to) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          int i = pass == 0 ? j : n - 1 - j;
          try (Deployed d = Deployed.start(plan, i, threads, model, modelName, original, options, inputs)) {
            for (int r = from; r < to; r++) {
              latencies[i][r] = d.run().once(inputs, options.warmup() + r, options.answerTimeout());
            }
            d.finish(worst, exact);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        requestsPerSecond[i] = options.requests() / (Arrays.stream(latencies[i]).sum() / 1e9);
        progress(progress, plan, i, latencies[i]);
      }
    }
    List<MeasurementReport.Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Candidate c = plan.candidates().get(i);
      rows.add(new MeasurementReport.Row(i, c.label(), c.kind(), c.totalMicros() / 1e3, c.requestsPerSecond(),
          LatencyStats.ofNanos(latencies[i]), requestsPerSecond[i], exact[i], worst[i]));
    }
    return new MeasurementReport(plan, options.requests(), options.warmup(), inputs.size(), threads, rows);
  }

  /** One candidate's deployment running, warmed up; closing stops it and deletes its directory. */
  private record Deployed(int index, CandidateRun run, Path dir) implements AutoCloseable {
    static Deployed start(Plan plan, int index, Map<String, Integer> threads, OnnxMl.ModelProto model,
        String modelName, JsonNode original, MeasureOptions options, MeasurementInputs inputs)
        throws MeasurementException {
      Path dir;
      try {
        dir = Files.createTempDirectory("edge-plan-measure-");
      } catch (IOException e) {
        throw new MeasurementException("cannot create a temporary directory: " + e.getMessage(), e);
      }
      Deployed deployed = new Deployed(index, new CandidateRun(plan, plan.candidates().get(index), threads, dir), dir);
      try {
        deployed.run().start(model, modelName, original, options.readyTimeout());
        for (int k = 0; k < options.warmup(); k++) {
          deployed.run().once(inputs, k, options.answerTimeout());
        }
      } catch (MeasurementException | RuntimeException e) {
        deployed.close();
        throw e;
      }
      return deployed;
    }

    /** Checks for stray answers and keeps what the answers' comparison found. */
    void finish(double[] worst, boolean[] exact) throws MeasurementException {
      run.checkNoStrayAnswers();
      worst[index] = Math.max(worst[index], run.maxAbsDifference());
      exact[index] = run.exact();
    }

    @Override
    public void close() {
      run.close();
      deleteAll(dir);
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
