package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Adaptive batching (the default): a request that finds nothing queued or running does not wait for company, and
 * requests that arrive while a run is in progress gather into the next batch; and {@code instances} runs at once
 * for requests that all come from one thread, as the module's input thread sends them.
 */
class AdaptiveBatchingTest extends ServerTestBase {
  private static final int WIDTH = 4;
  /** A 10 s queue delay: under Triton's rule a lone request would wait that long. */
  private static final String LONG_DELAY = "{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 10000000}";

  private InstrumentedBackend.Model serve(String batching) throws Exception {
    f.repo.scale("m", 1, WIDTH, 2f, batching);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    return f.backend.loaded.get(0);
  }

  @Test
  void aLoneRequestRunsAtOnceInsteadOfWaitingTheQueueDelay() throws Exception {
    serve(LONG_DELAY);
    long start = System.nanoTime();

    InferenceResult r = f.server.infer(request("m", null, 1, WIDTH, 3)).get(5, TimeUnit.SECONDS);

    assertThat(r.batchSize()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.queueTime()).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void requestsThatArriveDuringARunGatherIntoTheNextBatch() throws Exception {
    serve(LONG_DELAY);
    f.backend.holdRuns();
    CompletableFuture<InferenceResult> first = f.server.infer(request("m", null, 1, WIDTH, 0));
    f.backend.awaitRunAtGate();
    List<CompletableFuture<InferenceResult>> during = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      during.add(f.server.infer(request("m", null, 1, WIDTH, 100 * i)));
    }
    assertThat(during).noneMatch(CompletableFuture::isDone);

    f.backend.openGate();

    assertThat(first.get(20, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
    for (CompletableFuture<InferenceResult> r : during) {
      // Not after the 10 s delay: as soon as the run ended, with the five that had gathered behind it.
      assertThat(r.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(5);
    }
  }

  @Test
  void tritonsRuleStillWaitsWhenAdaptiveIsOff() throws Exception {
    serve("{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 10000000, \"adaptive\": false}");
    CompletableFuture<InferenceResult> lone = f.server.infer(request("m", null, 1, WIDTH, 0));
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !lone.isDone());
    List<CompletableFuture<InferenceResult>> rest = new ArrayList<>();
    for (int i = 1; i < 8; i++) {
      rest.add(f.server.infer(request("m", null, 1, WIDTH, 100 * i)));
    }
    assertThat(lone.get(20, TimeUnit.SECONDS).batchSize()).isEqualTo(8);
  }

  @Test
  void oneCallingThreadKeepsEveryInstanceBusy() throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 3}");
    f.backend.holdRuns();
    int before = model.runThreads.size();
    List<CompletableFuture<InferenceResult>> sent = new ArrayList<>();
    // One thread sends, as the module's input thread does: it must not be held by a run while instances are free.
    for (int i = 0; i < 3; i++) {
      sent.add(f.server.infer(request("m", null, 1, WIDTH, 10 * i)));
    }
    f.backend.awaitRunAtGate();
    f.backend.awaitRunAtGate();
    f.backend.awaitRunAtGate();
    assertThat(model.inFlight.get()).as("runs in progress at once").isEqualTo(3);

    f.backend.openGate();

    for (CompletableFuture<InferenceResult> r : sent) {
      assertThat(r.get(20, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
    }
    assertThat(model.runThreads.subList(before, model.runThreads.size()))
        .noneMatch(t -> t == Thread.currentThread()).allMatch(t -> t.getName().startsWith("serving-m-v1-"));
  }

  @Test
  void oneInstanceStillRunsOnTheCallersThreadWithBatchingOff() throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 1}");
    int before = model.runThreads.size();
    assertThat(f.server.infer(request("m", null, 1, WIDTH, 1))).isDone();
    assertThat(model.runThreads.subList(before, model.runThreads.size())).containsExactly(Thread.currentThread());
  }
}
