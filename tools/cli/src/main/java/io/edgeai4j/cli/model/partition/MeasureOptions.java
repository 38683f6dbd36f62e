package io.edgeai4j.cli.model.partition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code edge model plan --measure} measures each candidate: the requests counted, the warm-up requests before
 * them (not counted), the data directory they are taken from, and how long to wait for the models to load and for
 * each answer. Immutable; validated once.
 *
 * @param requests measured requests per candidate, 1 to {@value #MAX_REQUESTS}
 * @param warmup warm-up requests per candidate, not counted, 0 to {@value #MAX_REQUESTS}
 * @param data the inputs, in ONNX's test-data layout ({@code test_data_set_<n>/input_<i>.pb}), one request per row
 * @param readyTimeout how long every tier's inference module may take to report its part {@code ready}
 * @param answerTimeout how long one answer may take to reach the top tier (a missing one fails the measurement)
 */
public record MeasureOptions(int requests, int warmup, Path data, Duration readyTimeout, Duration answerTimeout) {
  /** The most requests (and warm-up requests) per candidate. */
  public static final int MAX_REQUESTS = 100_000;

  /** Checks the values, naming the option at fault. */
  public MeasureOptions {
    if (requests < 1 || requests > MAX_REQUESTS) {
      throw new IllegalArgumentException("--measure " + requests + ": expected a number of requests from 1 to "
          + MAX_REQUESTS);
    }
    if (warmup < 0 || warmup > MAX_REQUESTS) {
      throw new IllegalArgumentException("--warmup " + warmup + ": expected a number of requests from 0 to "
          + MAX_REQUESTS);
    }
    Objects.requireNonNull(data, "--measure needs --data DIR (the inputs, e.g. from edge model dataset)");
    if (readyTimeout.isNegative() || readyTimeout.isZero() || answerTimeout.isNegative() || answerTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive, found " + readyTimeout + " and "
          + answerTimeout);
    }
  }
}
