package io.edgeai4j.optimize.evaluate;

import ai.onnxruntime.OnnxTensor;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Compares a candidate model (quantized, converted) with its reference on a data directory in ONNX's test-data layout
 * ({@link TestDataSets}), both run by ONNX Runtime CPU in the same process: top-1 and top-k accuracy of each against
 * {@code labels.pb} (omitted, and the report says why, unless every set has labels), agreement of their top-1 classes,
 * max and mean absolute difference of their first outputs, file sizes, and batch-1 latency with 1 intra-op thread.
 * Latency runs are interleaved (reference then candidate, then candidate then reference, ...) on the same rows, so a
 * change of machine load or clock affects both alike. Sets stream: one set is in memory at a time, plus the rows
 * kept for latency. Stateless; each call opens and closes its own sessions.
 */
public final class ModelEvaluator {
  /** Distinct rows kept for the latency runs (cycled when more runs are asked). */
  static final int LATENCY_ROWS = 32;

  private ModelEvaluator() {}

  /**
   * Runs both models on every set and times them.
   *
   * @throws DataSetException When the data directory or a set cannot be read (naming the file).
   * @throws EvaluationException When a model cannot be loaded or run, a set does not fit a model's inputs, the two
   *     models' outputs differ in size, or a label is not a class of the output (each naming the file and what was
   *     expected).
   */
  public static EvaluationReport evaluate(Path reference, Path candidate, Path data, EvaluationOptions options)
      throws DataSetException, EvaluationException {
    TestDataSets sets = TestDataSets.open(data);
    long referenceBytes = size(reference);
    long candidateBytes = size(candidate);
    try (ModelRunner ref = new ModelRunner(reference); ModelRunner cand = new ModelRunner(candidate)) {
      Tally tally = new Tally(options.topK());
      List<List<DataTensor>> latencyRows = new ArrayList<>();
      int unlabelled = 0;
      Path firstUnlabelled = null;
      int classes = -1;
      Iterator<TestDataSets.DataSet> iterator = sets.iterator();
      while (iterator.hasNext()) {
        TestDataSets.DataSet s;
        try {
          s = iterator.next();
        } catch (TestDataSets.DataSetUncheckedException e) {
          throw e.getCause();
        }
        Path set = s.directory();
        ref.check(set, s.inputs());
        cand.check(set, s.inputs());
        long rows = s.inputs().get(0).rows();
        double[] r = runAll(ref, set, s.inputs(), rows);
        double[] c = runAll(cand, set, s.inputs(), rows);
        if (r.length != c.length) {
          throw new EvaluationException(set + ": the reference's first output holds " + r.length
              + " values and the candidate's " + c.length + "; expected outputs of the same shape", null);
        }
        int perRow = (int) (r.length / rows);
        if (classes >= 0 && classes != perRow) {
          throw new EvaluationException(set + ": the output holds " + perRow + " values per row, earlier sets "
              + classes + "; expected the same in every set", null);
        }
        classes = perRow;
        if (s.labels().isEmpty()) {
          unlabelled++;
          firstUnlabelled = firstUnlabelled == null ? set : firstUnlabelled;
        }
        tally.add(set, r, c, rows, perRow, s.labels());
        if (latencyRows.size() < LATENCY_ROWS) {
          double[][] values = ModelRunner.values(s.inputs());
          for (long row = 0; row < rows && latencyRows.size() < LATENCY_ROWS; row++) {
            latencyRows.add(row(s.inputs(), values, row));
          }
        }
      }
      Latency[] latency = latency(ref, cand, latencyRows, options);
      Optional<String> omitted = unlabelled == 0 ? Optional.empty()
          : Optional.of(unlabelled == sets.size() ? "no set holds labels.pb"
              : "labels.pb is missing in " + unlabelled + " of " + sets.size() + " sets (first: " + firstUnlabelled
                  + "); accuracy needs labels in every set");
      boolean labelled = omitted.isEmpty();
      ModelResult referenceResult = new ModelResult(reference, referenceBytes,
          labelled ? OptionalDouble.of(tally.fraction(tally.referenceTop1)) : OptionalDouble.empty(),
          labelled ? OptionalDouble.of(tally.fraction(tally.referenceTopK)) : OptionalDouble.empty(), latency[0]);
      ModelResult candidateResult = new ModelResult(candidate, candidateBytes,
          labelled ? OptionalDouble.of(tally.fraction(tally.candidateTop1)) : OptionalDouble.empty(),
          labelled ? OptionalDouble.of(tally.fraction(tally.candidateTopK)) : OptionalDouble.empty(), latency[1]);
      return new EvaluationReport(referenceResult, candidateResult, sets.size(), tally.rows, classes,
          options.topK(), omitted, tally.fraction(tally.agree), tally.maxAbs,
          tally.values == 0 ? 0 : tally.sumAbs / tally.values);
    }
  }

  /** Row {@code row} of each tensor, as a batch of one. */
  static List<DataTensor> row(List<DataTensor> tensors, double[][] values, long row) {
    List<DataTensor> one = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      DataTensor t = tensors.get(i);
      long[] shape = t.shape();
      double[] all = values[i];
      int rowSize = (int) (all.length / shape[0]);
      shape[0] = 1;
      one.add(new DataTensor(t.name(), t.elementType(), shape,
          Arrays.copyOfRange(all, (int) (row * rowSize), (int) ((row + 1) * rowSize))));
    }
    return one;
  }

  private static double[] runAll(ModelRunner runner, Path set, List<DataTensor> inputs, long rows)
      throws EvaluationException {
    long batch = runner.batch(rows);
    if (rows % batch != 0) {
      throw new EvaluationException(set + " holds " + rows + " rows; model " + runner.file() + " takes batches of "
          + batch + " rows exactly; expected a multiple of " + batch, null);
    }
    double[] all = null;
    int offset = 0;
    double[][] values = ModelRunner.values(inputs);
    for (long from = 0; from < rows; from += batch) {
      double[] part = runner.run(inputs, values, from, batch);
      if (all == null) {
        all = new double[Math.toIntExact(part.length * (rows / batch))];
      }
      System.arraycopy(part, 0, all, offset, part.length);
      offset += part.length;
    }
    return all;
  }

  private static Latency[] latency(ModelRunner ref, ModelRunner cand, List<List<DataTensor>> rows,
      EvaluationOptions options) throws EvaluationException {
    List<Map<String, OnnxTensor>> refFeeds = new ArrayList<>();
    List<Map<String, OnnxTensor>> candFeeds = new ArrayList<>();
    try {
      for (List<DataTensor> row : rows) {
        if (ref.batch(1) != 1 || cand.batch(1) != 1) {
          throw new EvaluationException("latency is measured at batch 1; model "
              + (ref.batch(1) != 1 ? ref.file() : cand.file()) + " fixes its batch at "
              + Math.max(ref.batch(1), cand.batch(1)) + " rows", null);
        }
        refFeeds.add(ref.feed(row, ModelRunner.values(row), 0, 1));
        candFeeds.add(cand.feed(row, ModelRunner.values(row), 0, 1));
      }
      long[] refNanos = new long[options.latencyRuns()];
      long[] candNanos = new long[options.latencyRuns()];
      for (int i = 0; i < options.warmupRuns() + options.latencyRuns(); i++) {
        int row = i % refFeeds.size();
        long a;
        long b;
        if (i % 2 == 0) {
          a = timed(ref, refFeeds.get(row));
          b = timed(cand, candFeeds.get(row));
        } else {
          b = timed(cand, candFeeds.get(row));
          a = timed(ref, refFeeds.get(row));
        }
        if (i >= options.warmupRuns()) {
          refNanos[i - options.warmupRuns()] = a;
          candNanos[i - options.warmupRuns()] = b;
        }
      }
      return new Latency[] {Latency.of(refNanos), Latency.of(candNanos)};
    } finally {
      refFeeds.forEach(f -> f.values().forEach(OnnxTensor::close));
      candFeeds.forEach(f -> f.values().forEach(OnnxTensor::close));
    }
  }

  private static long timed(ModelRunner runner, Map<String, OnnxTensor> feed) throws EvaluationException {
    long start = System.nanoTime();
    runner.time(feed);
    return System.nanoTime() - start;
  }

  private static long size(Path model) throws EvaluationException {
    try {
      return Files.size(model);
    } catch (IOException e) {
      throw new EvaluationException(model + ": cannot be read: " + e, e);
    }
  }
}
