package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class HotSwapTest extends ServerTestBase {
  private static final int WIDTH = 4;
  private static final int CLIENTS = 16;
  private static final String BATCHING = "{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 1000, \"instances\": 2,"
      + " \"maxQueueSize\": 64}";


  @Test
  void sixteenClientsSeeNoFailureWhileVersionsSwapOneTwoThreeAndBackToOne() throws Exception {
    f.repo.scale("m", 1, WIDTH, 1f, BATCHING);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));

    AtomicBoolean stop = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLongArray answeredBy = new AtomicLongArray(4);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      running.add(clients.submit(() -> {
        long n = 0;
        while (!stop.get()) {
          float base = client * 1000 + (n++ % 500);
          try {
            InferenceResult r = f.server.infer(request("m", null, 1, WIDTH, base)).get(20, TimeUnit.SECONDS);
            float[] y = r.outputs().get("y").toFloats();
            for (int i = 0; i < WIDTH; i++) {
              if (y[i] != r.version() * (base + i)) {
                failures.add("version " + r.version() + " answered " + y[i] + " for " + (base + i));
              }
            }
            answeredBy.incrementAndGet((int) r.version());
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      }));
    }
    try {
      awaitAnswersFrom(answeredBy, 1);
      for (int v = 2; v <= 3; v++) {
        f.repo.scale("m", v, WIDTH, v, BATCHING);
        f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
        assertThat(servedVersions()).containsExactly((long) v);
        awaitAnswersFrom(answeredBy, v);
      }
      long beforeBack = answeredBy.get(1);
      f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.specific(List.of(1L)))));
      assertThat(servedVersions()).containsExactly(1L);
      await().atMost(Duration.ofSeconds(20)).until(() -> answeredBy.get(1) > beforeBack + 100);
    } finally {
      stop.set(true);
      for (Future<?> r : running) {
        r.get(30, TimeUnit.SECONDS);
      }
      clients.shutdown();
    }

    assertThat(failures).isEmpty();
    long total = answeredBy.get(1) + answeredBy.get(2) + answeredBy.get(3);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "success")).isEqualTo(total);
    // Version 1 was loaded twice (first, then back by the specific policy): 4 models in all, 3 closed.
    List<InstrumentedBackend.Model> loaded = f.backend.loaded;
    assertThat(loaded).hasSize(4);
    await().atMost(Duration.ofSeconds(20)).until(() -> loaded.stream().filter(InstrumentedBackend.Model::closed)
        .count() == 3);
    assertThat(loaded.get(3).closed()).isFalse();
    assertThat(loaded.get(3).file).isEqualTo(root.resolve("m/1/model.onnx"));
    assertThat(f.backend.violations).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> f.server.models().get(0).versions().size() == 1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "2", "state", "unloaded"))
        .isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "1", "state", "ready"))
        .isEqualTo(1);
  }

  private List<Long> servedVersions() {
    return f.server.models().get(0).versions().stream().filter(v -> v.state() == VersionState.READY)
        .map(VersionStatus::version).toList();
  }

  private static void awaitAnswersFrom(AtomicLongArray answeredBy, int version) {
    long before = answeredBy.get(version);
    await().atMost(Duration.ofSeconds(20)).until(() -> answeredBy.get(version) > before + 100);
  }

  @Test
  void requestsAcceptedByAVersionBeingSwappedOutFinishOnItBeforeItCloses() throws Exception {
    String oneByOne = "{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0}";
    f.repo.scale("m", 1, WIDTH, 1f, oneByOne);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    f.backend.holdRuns();
    var running = f.inferFromAnotherThread(request("m", 1L, 1, WIDTH, 5));
    f.backend.awaitRunAtGate();
    var queued = f.server.infer(request("m", 1L, 1, WIDTH, 6));
    f.repo.scale("m", 2, WIDTH, 2f, oneByOne, 0);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));

    assertThat(f.server.models().get(0).versions()).extracting(VersionStatus::version, VersionStatus::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, VersionState.DRAINING),
            org.assertj.core.groups.Tuple.tuple(2L, VersionState.READY));
    InferenceFailure gone = ServerFixture.failure(f.server.infer(request("m", 1L, 1, WIDTH, 1)));
    assertThat(gone.kind()).isEqualTo(FailureKind.UNKNOWN_VERSION);
    assertThat(gone.getMessage()).contains("no version 1", "[2]");
    assertThat(f.backend.loaded.get(0).closed()).isFalse();

    f.backend.openGate();
    assertThat(running.get().version()).isEqualTo(1);
    assertThat(queued.get().version()).isEqualTo(1);
    assertThat(queued.get().outputs().get("y").toFloats()[0]).isEqualTo(6f);
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1)).get().outputs().get("y").toFloats()[0])
        .isEqualTo(2f);
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loaded.get(0).closed());
    assertThat(f.backend.loaded.get(1).closed()).isFalse();
    assertThat(f.backend.violations).isEmpty();
  }
}
