package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.download.RetryListener;
import io.edgeai4j.modelupdate.download.RetryReason;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Writes and reports each retry of one download (or of the wait for room to unpack): {@code retrying} with the
 * attempts so far, the last error and {@code nextAttemptAt} when an attempt fails for a reason that may pass, the
 * working state ({@code downloading}, {@code verifying}) again, the count kept, when the next attempt begins; the state file then lets a restart continue the backoff and wait the rest of the
 * wait. Counts each retry by reason. Nothing is written once the download is superseded (a newer release).
 *
 * <p>Made by {@link ReleasePipeline} per download; called on the worker's thread only; holds nothing to close.
 */
final class DownloadRetries implements RetryListener {
  private final String model;
  private final WorkerState state;
  private final UpdateMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier current;
  private final UpdateState working;

  DownloadRetries(String model, WorkerState state, UpdateMetrics metrics, Clock clock, BooleanSupplier current,
      UpdateState working) {
    this.working = working;
    this.model = model;
    this.state = state;
    this.metrics = metrics;
    this.clock = clock;
    this.current = current;
  }

  @Override
  public void attempting(long failures) {
    if (state.get().state() == UpdateState.RETRYING && current.getAsBoolean()) {
      state.set(state.get().attemptingAgain(clock.instant(), working), false);
    }
  }

  @Override
  public void retrying(long failures, RetryReason reason, String error, Instant nextAttemptAt) {
    metrics.retried(model, reason);
    if (current.getAsBoolean()) {
      state.set(state.get().retrying(clock.instant(), failures, error, nextAttemptAt), false);
    }
  }
}
