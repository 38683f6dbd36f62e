package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.download.RetryReason;
import io.edgeai4j.modelupdate.state.UpdateState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The module's metrics: bytes downloaded, download retries by reason, update outcomes and each model's current
 * state. Thread-safe; registered
 * once per module in the module's registry.
 */
public final class UpdateMetrics {
  /** Bytes of packages downloaded, by model. */
  public static final String DOWNLOADED_BYTES = "edgeai4j_model_update_downloaded_bytes_total";
  /** Updates that ended, by model and state ({@code active}, {@code failed}, {@code rolledBack}). */
  public static final String OUTCOMES = "edgeai4j_model_update_outcomes_total";
  /** 1 for the state each model is in, 0 for the others. */
  public static final String STATE = "edgeai4j_model_update_state";
  /** Download attempts that failed for a reason that may pass and are retried, by model and reason. */
  public static final String RETRIES = "edgeai4j_model_update_download_retries_total";

  private final Counter downloadedBytes;
  private final Counter outcomes;
  private final Gauge state;
  private final Counter retries;

  /** Registers the metrics. */
  public UpdateMetrics(PrometheusRegistry registry) {
    downloadedBytes = Counter.builder().name(DOWNLOADED_BYTES).help("Bytes of model packages downloaded")
        .labelNames("model").register(registry);
    outcomes = Counter.builder().name(OUTCOMES).help("Model updates that ended, by the state they ended in")
        .labelNames("model", "state").register(registry);
    state = Gauge.builder().name(STATE).help("1 for the update state each model is in, 0 for the others")
        .labelNames("model", "state").register(registry);
    retries = Counter.builder().name(RETRIES).help("Download attempts that failed for a reason that may pass, "
        + "retried after a backoff, by reason").labelNames("model", "reason").register(registry);
  }

  /** Counts a download attempt that failed for {@code reason} and is retried. */
  public void retried(String model, RetryReason reason) {
    retries.labelValues(model, reason.label()).inc();
  }

  /** Counts downloaded bytes. */
  public void downloaded(String model, long bytes) {
    downloadedBytes.labelValues(model).inc(bytes);
  }

  /** Records a model's new state, counting an outcome when it ends an update. */
  public void entered(String model, UpdateState now, boolean outcome) {
    for (UpdateState s : UpdateState.values()) {
      state.labelValues(model, s.wireName()).set(s == now ? 1 : 0);
    }
    if (outcome) {
      outcomes.labelValues(model, now.wireName()).inc();
    }
  }
}
