package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The series a server keeps on its registry: bounded however often versions swap; pending requests per model. */
class MetricSeriesTest extends ServerTestBase {
  private static final int WIDTH = 4;
  private static final String FAST = "{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0}";
  private static final String ONE_INSTANCE = "{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 1}";

  /** The series (label sets) of the serving families in a scrape. */
  private int series() {
    int n = 0;
    for (MetricSnapshot snapshot : f.registry.scrape()) {
      if (snapshot.getMetadata().getName().startsWith("edgeai4j_inference_")) {
        n += snapshot.getDataPoints().size();
      }
    }
    return n;
  }

  /** Serves version {@code v} alone, runs a request on it and waits until the version it replaced closed. */
  private void swapTo(long v) throws Exception {
    f.server.load("m", VersionPolicy.specific(List.of(v)));
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1)).get(20, TimeUnit.SECONDS).version()).isEqualTo(v);
    await().atMost(Duration.ofSeconds(20)).until(() -> f.server.models().get(0).versions().size() == 1
        && f.backend.loaded.stream().filter(m -> !m.closed()).count() == 1);
  }

  @Test
  void theSeriesCountStaysBoundedHoweverOftenVersionsSwap() throws Exception {
    int swaps = 16;
    for (long v = 1; v <= swaps; v++) {
      f.repo.scale("m", v, WIDTH, v, FAST);
    }
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L)))));
    List<Integer> counts = new ArrayList<>();
    // Each swap serves a new version (2, 3, ..., 16) and unloads the one before, as model updates do.
    for (long v = 2; v <= swaps; v++) {
      swapTo(v);
      counts.add(series());
    }
    // Once the kept unloaded versions are full, every swap removes as many series as it adds.
    int steady = counts.get(ServingMetrics.UNLOADED_VERSIONS_KEPT);
    assertThat(counts.subList(ServingMetrics.UNLOADED_VERSIONS_KEPT, counts.size()))
        .as("series after each swap: %s", counts).allMatch(c -> c == steady);
    // Serving 16; 15 and 14 were unloaded last and are kept (final counts, state unloaded); 13 and older: gone.
    assertThat(f.metric("edgeai4j_inference_model_state", "version", "16", "state", "ready")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "version", "15", "state", "unloaded")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "version", "14", "state", "unloaded")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_requests", "version", "15", "outcome", "success")).isEqualTo(1);
    assertThat(f.registry.scrape().stream().flatMap(s -> s.getDataPoints().stream())
        .map(p -> p.getLabels().get("version")).filter(java.util.Objects::nonNull).distinct())
        .containsExactlyInAnyOrder("14", "15", "16");
  }

  @Test
  void aVersionUnloadedThenLoadedAgainCountsFromZeroOnFreshSeries() throws Exception {
    for (long v = 1; v <= 4; v++) {
      f.repo.scale("m", v, WIDTH, v, FAST);
    }
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L)))));
    for (long v : List.of(1L, 2L, 3L, 4L)) {
      swapTo(v);
    }
    // Version 1's series were removed (2 and 3 unloaded after it): loaded again, it shows READY and counts anew.
    swapTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "version", "1", "state", "ready")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_requests", "version", "1", "outcome", "success")).isEqualTo(1);
  }

  @Test
  void pendingRequestsCountQueuedAndRunningRequestsOfAModel() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, ONE_INSTANCE);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    assertThat(f.metric("edgeai4j_inference_pending_requests", "model", "m")).isZero();
    f.backend.holdRuns();
    List<CompletableFuture<InferenceResult>> held = new ArrayList<>();
    held.add(f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0)));
    f.backend.awaitRunAtGate();
    // One running (held at the gate), two queued behind it.
    held.add(f.server.infer(request("m", null, 1, WIDTH, 10)));
    held.add(f.server.infer(request("m", null, 1, WIDTH, 20)));
    assertThat(f.metric("edgeai4j_inference_pending_requests", "module", "inference", "model", "m")).isEqualTo(3);
    // A request refused before it is accepted is not pending.
    assertThat(ServerFixture.failure(f.server.infer(request("m", 9L, 1, WIDTH, 0))).kind())
        .isEqualTo(FailureKind.UNKNOWN_VERSION);
    assertThat(f.metric("edgeai4j_inference_pending_requests", "model", "m")).isEqualTo(3);
    f.backend.openGate();
    for (CompletableFuture<InferenceResult> r : held) {
      r.get(20, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> f.metric("edgeai4j_inference_pending_requests", "model", "m")
        == 0);
  }
}
