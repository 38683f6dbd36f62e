package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With one instance, a request that could not be batched anyway runs on the caller's thread, under the same bounds
 * and draining; with more, callers hand every run to the workers ({@link AdaptiveBatchingTest}).
 */
class InlineRunTest extends ServerTestBase {
  private static final int WIDTH = 4;


  private InstrumentedBackend.Model serve(String batching) throws Exception {
    // These tests are of Triton's rule, where a batch waits for company until full or its delay is up: the
    // adaptive rule (AdaptiveBatchingTest) would run a lone request at once.
    f.repo.scale("m", 1, WIDTH, 2f, TestRepository.tritonRule(batching));
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    return f.backend.loaded.get(0);
  }

  private static void assertDoubled(InferenceResult r, float base) {
    float[] y = r.outputs().get("y").toFloats();
    for (int i = 0; i < y.length; i++) {
      assertThat(y[i]).as("element %d", i).isEqualTo(2 * (base + i));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      maxBatchSize 1            | {"maxBatchSize": 1, "maxQueueDelayMicros": 500}
      maxQueueDelay 0           | {"maxBatchSize": 8, "maxQueueDelayMicros": 0}
      """)
  void withBatchingOffARequestRunsAndCompletesOnTheCallersThread(String what, String batching) throws Exception {
    InstrumentedBackend.Model model = serve(batching);
    int before = model.runThreads.size();
    CompletableFuture<InferenceResult> r = f.server.infer(request("m", null, 1, WIDTH, 3));
    assertThat(r).isDone();
    assertDoubled(r.join(), 3);
    assertThat(r.join().batchSize()).isEqualTo(1);
    assertThat(model.runThreads.subList(before, model.runThreads.size())).containsExactly(Thread.currentThread());
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "version", "1", "outcome", "success"))
        .isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_executions", "model", "m", "version", "1")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_request_seconds", "model", "m", "version", "1")).isEqualTo(1);
  }

  @ParameterizedTest(name = "instances {0}")
  @CsvSource({"1", "2"})
  void concurrentCallersNeverRunMoreThanInstancesAtOnce(int instances) throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": "
        + instances + "}");
    int callers = 8;
    int each = 100;
    model.maxInFlight.set(0);
    int before = model.runThreads.size();
    CyclicBarrier start = new CyclicBarrier(callers);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      // Closed-loop clients: each waits for its answer before it sends the next request.
      List<Future<?>> sent = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        sent.add(pool.submit(() -> {
          start.await(20, TimeUnit.SECONDS);
          for (int i = 0; i < each; i++) {
            assertDoubled(f.server.infer(request("m", null, 1, WIDTH, 1000 * caller + i)).get(20, TimeUnit.SECONDS),
                1000 * caller + i);
          }
          return null;
        }));
      }
      for (Future<?> caller : sent) {
        caller.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(model.maxInFlight.get()).isBetween(1, instances);
    List<Thread> threads = model.runThreads.subList(before, model.runThreads.size());
    assertThat(threads).hasSize(callers * each);
    if (instances == 1) {
      // Some ran on the callers' threads (the others queued behind a run in progress and ran on a worker).
      assertThat(threads).anyMatch(t -> t.getName().startsWith("pool-"));
    } else {
      // With more instances a caller never runs a model: it hands every run to the workers and goes on.
      assertThat(threads).noneMatch(t -> t.getName().startsWith("pool-"));
    }
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "success"))
        .isEqualTo(callers * each);
  }

  @Test
  void withBatchingOnALoneRequestWaitsAndTheThreadThatFillsTheBatchRunsIt() throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 10000000}");
    int before = model.runThreads.size();
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
    futures.add(f.server.infer(request("m", null, 1, WIDTH, 0)));
    // A lone request waits for others (up to the 10 s delay): it was not run here.
    assertThat(futures.get(0)).isNotDone();
    for (int i = 1; i < 8; i++) {
      futures.add(f.server.infer(request("m", null, 1, WIDTH, 100 * i)));
    }
    for (int i = 0; i < 8; i++) {
      InferenceResult r = futures.get(i).get(20, TimeUnit.SECONDS);
      assertThat(r.batchSize()).isEqualTo(8);
      assertDoubled(r, 100 * i);
    }
    // The eighth request filled the batch while the instance was free: its caller (this thread) ran all eight, with
    // no hand-off to the worker.
    assertThat(model.runThreads.subList(before, model.runThreads.size())).containsExactly(Thread.currentThread());
  }

  @Test
  void aFullBatchWhoseOldestRequestHasTimedOutIsLeftToTheWorkerWhichFailsThatRequest() throws Exception {
    serve("{\"maxBatchSize\": 2, \"maxQueueDelayMicros\": 2000000, \"requestTimeoutMillis\": 100}");
    long start = System.nanoTime();
    var old = f.server.infer(request("m", null, 1, WIDTH, 0));
    // The first request waits for a second (the queue delay is 2 s) past its 100 ms timeout.
    await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - start > 150_000_000L);
    var late = f.server.infer(request("m", null, 1, WIDTH, 10));

    InferenceFailure timedOut = ServerFixture.failure(old);
    assertThat(timedOut.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(timedOut.getMessage()).contains("requestTimeoutMillis 100");
    await().atMost(Duration.ofSeconds(20)).until(late::isDone);
  }

  @Test
  void aFullBatchWhileTheOnlyInstanceIsBusyIsLeftToTheWorker() throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 2, \"maxQueueDelayMicros\": 10000000}");
    int before = model.runThreads.size();
    f.backend.holdRuns();
    // Two requests from another thread fill a batch: that thread runs it and is held at the gate.
    var a = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0));
    var b = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 10));
    f.backend.awaitRunAtGate();
    // Two more fill a second batch while the only instance is busy: this thread must not wait for it.
    var c = f.server.infer(request("m", null, 1, WIDTH, 20));
    var d = f.server.infer(request("m", null, 1, WIDTH, 30));
    assertThat(c).isNotDone();
    assertThat(d).isNotDone();
    f.backend.openGate();
    for (var r : List.of(a, b, c, d)) {
      assertThat(r.get(20, TimeUnit.SECONDS).batchSize()).isEqualTo(2);
    }
    List<Thread> threads = model.runThreads.subList(before, model.runThreads.size());
    assertThat(threads).hasSize(2).doesNotContain(Thread.currentThread());
    assertThat(threads.get(1).getName()).startsWith("serving-m-v1-");
  }

  @Test
  void aRetiringVersionDrainsItsRunsOnCallersThreadsAndItsQueueBeforeClosing() throws Exception {
    InstrumentedBackend.Model model = serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 2}");
    f.backend.holdRuns();
    var a = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0));
    var b = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 10));
    f.backend.awaitRunAtGate();
    f.backend.awaitRunAtGate();
    // Both instances are busy on callers' threads: this one queues for a worker.
    var queued = f.server.infer(request("m", null, 1, WIDTH, 20));
    assertThat(queued).isNotDone();
    f.server.unload("m");
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "1", "state", "draining"))
        .isEqualTo(1);
    assertThat(ServerFixture.failure(f.server.infer(request("m", null, 1, WIDTH, 30))).kind())
        .isEqualTo(FailureKind.UNKNOWN_MODEL);
    assertThat(model.closed()).isFalse();
    f.backend.openGate();
    assertDoubled(a.get(20, TimeUnit.SECONDS), 0);
    assertDoubled(b.get(20, TimeUnit.SECONDS), 10);
    InferenceResult last = queued.get(20, TimeUnit.SECONDS);
    assertDoubled(last, 20);
    assertThat(last.version()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(model::closed);
    assertThat(model.closes.get()).isEqualTo(1);
    assertThat(f.backend.violations).isEmpty();
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "1", "state", "unloaded"))
        .isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "version", "1", "outcome", "success"))
        .isEqualTo(3);
  }
}
