package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.failure;
import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DynamicBatchingTest extends ServerTestBase {
  private static final int WIDTH = 4;
  private static final String WAIT_FOR_FULL = "{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 10000000}";


  private void serve(String batching) throws Exception {
    // These tests are of Triton's rule, where a batch waits for company until full or its delay is up: the
    // adaptive rule (AdaptiveBatchingTest) would run a lone request at once.
    f.repo.scale("m", 1, WIDTH, 2f, TestRepository.tritonRule(batching));
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
  }


  private static void assertDoubled(InferenceResult r, int rows, float base) {
    Tensor y = r.outputs().get("y");
    assertThat(y.shape()).containsExactly(rows, WIDTH);
    float[] values = y.toFloats();
    for (int i = 0; i < values.length; i++) {
      assertThat(values[i]).as("element %d", i).isEqualTo(2 * (base + i));
    }
  }

  @Test
  void eightRequestsWaitingFormOneBatchOfEightAndEachCallerGetsItsOwnRows() throws Exception {
    serve(WAIT_FOR_FULL);
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(f.server.infer(request("m", null, 1, WIDTH, 100 * i)));
    }
    for (int i = 0; i < 8; i++) {
      InferenceResult r = futures.get(i).get();
      assertThat(r.batchSize()).isEqualTo(8);
      assertThat(r.version()).isEqualTo(1);
      assertDoubled(r, 1, 100 * i);
    }
    assertThat(f.metric("edgeai4j_inference_executions", "model", "m", "version", "1")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_count", "model", "m", "version", "1")).isEqualTo(8);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "version", "1", "outcome", "success"))
        .isEqualTo(8);
    assertThat(f.metric("edgeai4j_inference_request_seconds", "model", "m", "version", "1")).isEqualTo(8);
    assertThat(f.metric("edgeai4j_inference_queue_seconds", "model", "m", "version", "1")).isEqualTo(8);
    assertThat(f.metric("edgeai4j_inference_compute_seconds", "model", "m", "version", "1")).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "m", "version", "1", "state", "ready"))
        .isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_model_load_seconds", "model", "m", "version", "1")).isPositive();
    var histogram = (io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot)
        f.registry.scrape().stream().filter(s -> s.getMetadata().getName().equals("edgeai4j_inference_request_seconds"))
            .findFirst().orElseThrow().getDataPoints().stream()
            .filter(p -> "m".equals(p.getLabels().get("model")) && "1".equals(p.getLabels().get("version")))
            .findFirst().orElseThrow();
    List<Double> bounds = new ArrayList<>();
    histogram.getClassicBuckets().forEach(b -> bounds.add(b.getUpperBound()));
    assertThat(bounds).as("classic buckets, 50 us to 10 s, then +Inf").startsWith(0.00005, 0.0001, 0.00025)
        .endsWith(5.0, 10.0, Double.POSITIVE_INFINITY);
    long counted = 0;
    for (int i = 0; i < bounds.size(); i++) {
      counted += histogram.getClassicBuckets().getCount(i);
    }
    assertThat(counted).as("observations over all buckets").isEqualTo(8);
  }

  @Test
  void requestsOfSeveralRowsAreStackedAndSplitBackByRows() throws Exception {
    serve(WAIT_FOR_FULL);
    var a = f.server.infer(request("m", null, 3, WIDTH, 0));
    var b = f.server.infer(request("m", null, 3, WIDTH, 1000));
    var c = f.server.infer(request("m", null, 2, WIDTH, 2000));
    assertDoubled(a.get(), 3, 0);
    assertDoubled(b.get(), 3, 1000);
    assertDoubled(c.get(), 2, 2000);
    assertThat(c.get().batchSize()).isEqualTo(8);
    assertThat(f.metric("edgeai4j_inference_executions", "model", "m")).isEqualTo(1);
  }

  @Test
  void aBatchNeverExceedsMaxBatchSizeRows() throws Exception {
    serve(WAIT_FOR_FULL);
    var five = f.server.infer(request("m", null, 5, WIDTH, 0));
    var four = f.server.infer(request("m", null, 4, WIDTH, 0));
    var four2 = f.server.infer(request("m", null, 4, WIDTH, 0));
    // 5 + 4 > 8: the five run alone once 8 rows wait; the two fours fill the next batch.
    assertThat(five.get().batchSize()).isEqualTo(5);
    assertThat(four.get().batchSize()).isEqualTo(8);
    assertThat(four2.get().batchSize()).isEqualTo(8);
  }

  @Test
  void aRequestLargerThanMaxBatchSizeIsRefusedNamingBothNumbers() throws Exception {
    serve(WAIT_FOR_FULL);
    InferenceFailure e = failure(f.server.infer(request("m", null, 9, WIDTH, 0)));
    assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(e.getMessage()).contains("9 rows", "maxBatchSize 8");
  }

  @Test
  void theOldestRequestWaitingMaxQueueDelayRunsASmallerBatch() throws Exception {
    serve("{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 20000}");
    var a = f.server.infer(request("m", null, 1, WIDTH, 0));
    var b = f.server.infer(request("m", null, 2, WIDTH, 10));
    assertDoubled(a.get(), 1, 0);
    assertDoubled(b.get(), 2, 10);
    assertThat(a.get().batchSize()).isBetween(1, 3);
    assertThat(a.get().queueTime()).isPositive();
    assertThat(a.get().totalTime()).isGreaterThanOrEqualTo(a.get().queueTime().plus(a.get().computeTime()));
  }

  @Test
  void aBadRequestDoesNotFailTheOthersOfItsBatch() throws Exception {
    serve("{\"maxBatchSize\": 4, \"maxQueueDelayMicros\": 10000000}");
    var a = f.server.infer(request("m", null, 1, WIDTH, 0));
    var b = f.server.infer(request("m", null, 1, WIDTH, 10));
    var bad = f.server.infer(request("m", null, 1, WIDTH + 1, 20));
    var c = f.server.infer(request("m", null, 1, WIDTH, 30));
    var d = f.server.infer(request("m", null, 1, WIDTH, 40));
    assertThat(failure(bad).kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(failure(bad).getMessage()).contains("input 'x'", "[1, 5]", "[-1, 4]");
    for (var r : List.of(a, b, c, d)) {
      assertThat(r.get().batchSize()).isEqualTo(4);
    }
    assertDoubled(d.get(), 1, 40);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "bad_input")).isEqualTo(1);
  }

  static Stream<Arguments> badInputs() {
    Tensor good = Tensor.ofFloats("x", new long[] {1, WIDTH}, new float[WIDTH]);
    return Stream.of(
        Arguments.of("missing input", Map.of(), "input 'x' is missing"),
        Arguments.of("unknown input", Map.of("x", good, "z", good), "unknown input 'z'"),
        Arguments.of("wrong width", Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, new float[3])),
            "dimension 1 is 3, expected 4"),
        Arguments.of("wrong rank", Map.of("x", Tensor.ofFloats("x", new long[] {WIDTH}, new float[WIDTH])),
            "has 1 dimensions, expected 2"),
        Arguments.of("no rows", Map.of("x", Tensor.ofFloats("x", new long[] {0, WIDTH})), "0 rows"),
        Arguments.of("wrong type", Map.of("x", Tensor.wrap("x", io.edgeai4j.inference.backend.ElementType.INT32,
            new long[] {1, WIDTH}, java.nio.ByteBuffer.allocateDirect(16))), "element type int32, expected float32"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputsAreRefusedBeforeQueueing(String what, Map<String, Tensor> inputs, String message) throws Exception {
    serve("{\"maxBatchSize\": 8, \"maxQueueDelayMicros\": 0}");
    InferenceFailure e = failure(f.server.infer(new InferenceRequest("m", null, inputs, "c1")));
    assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void aFullQueueRefusesImmediately() throws Exception {
    serve("{\"maxBatchSize\": 1, \"maxQueueSize\": 2, \"maxQueueDelayMicros\": 0}");
    f.backend.holdRuns();
    var running = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0));
    f.backend.awaitRunAtGate();
    var queued1 = f.server.infer(request("m", null, 1, WIDTH, 1));
    var queued2 = f.server.infer(request("m", null, 1, WIDTH, 2));
    var refused = f.server.infer(request("m", null, 1, WIDTH, 3));
    assertThat(refused).isCompletedExceptionally();
    assertThat(failure(refused).kind()).isEqualTo(FailureKind.QUEUE_FULL);
    assertThat(failure(refused).getMessage()).contains("maxQueueSize 2");
    f.backend.openGate();
    assertDoubled(running.get(), 1, 0);
    assertDoubled(queued1.get(), 1, 1);
    assertDoubled(queued2.get(), 1, 2);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "queue_full")).isEqualTo(1);
  }

  @Test
  void aRequestThatWaitedLongerThanItsTimeoutBeforeRunningFailsTimeout() throws Exception {
    serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"requestTimeoutMillis\": 50}");
    f.backend.holdRuns();
    var running = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0));
    f.backend.awaitRunAtGate();
    long queuedAt = System.nanoTime();
    var late = f.server.infer(request("m", null, 1, WIDTH, 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - queuedAt > 200_000_000L);
    f.backend.openGate();
    assertDoubled(running.get(), 1, 0);
    InferenceFailure e = failure(late);
    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(e.getMessage()).contains("requestTimeoutMillis 50");
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "timeout")).isEqualTo(1);
    // The worker goes on serving.
    assertDoubled(f.server.infer(request("m", null, 1, WIDTH, 7)).get(), 1, 7);
  }

  @Test
  void instancesRunThatManyBatchesAtOnce() throws Exception {
    serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 2}");
    f.backend.holdRuns();
    var a = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 0));
    var b = f.inferFromAnotherThread(request("m", null, 1, WIDTH, 10));
    f.backend.awaitRunAtGate();
    f.backend.awaitRunAtGate();
    f.backend.openGate();
    assertDoubled(a.get(), 1, 0);
    assertDoubled(b.get(), 1, 10);
  }

  @Test
  void aModelWithoutABatchDimensionRunsRequestsOneByOne() throws Exception {
    f.repo.scale("fixed", 1, WIDTH, 2f, "{}");
    java.nio.file.Files.writeString(root.resolve("fixed/1/model.json"), """
        {"name": "fixed", "inputs": [{"name": "x", "type": "float32", "shape": [1, 4]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [1, 4]}],
         "batching": {"maxBatchSize": 8, "maxQueueDelayMicros": 10000000}}
        """);
    f.server.apply(new ServingConfig(root, Map.of("fixed", VersionPolicy.latest(1))));
    var a = f.server.infer(request("fixed", null, 1, WIDTH, 0));
    var b = f.server.infer(request("fixed", null, 1, WIDTH, 10));
    assertThat(a.get().batchSize()).isEqualTo(1);
    assertDoubled(b.get(), 1, 10);
    assertThat(f.metric("edgeai4j_inference_executions", "model", "fixed")).isEqualTo(2);
    assertThat(failure(f.server.infer(request("fixed", null, 2, WIDTH, 0))).kind())
        .isEqualTo(FailureKind.BAD_INPUT);
  }

  @Test
  void anErrorDuringARunFailsItsRequestAndTheWorkerGoesOnServing() throws Exception {
    serve("{\"maxBatchSize\": 1, \"maxQueueDelayMicros\": 0, \"instances\": 1}");
    AtomicBoolean once = new AtomicBoolean();
    f.backend.fault = inputs -> {
      if (once.compareAndSet(false, true)) {
        throw new OutOfMemoryError("Direct buffer memory");
      }
    };
    var hit = f.server.infer(request("m", null, 1, WIDTH, 0));
    await().atMost(Duration.ofSeconds(20)).until(hit::isDone);
    InferenceFailure e = failure(hit);
    assertThat(e.kind()).isEqualTo(FailureKind.MODEL_FAILED);
    assertThat(e.getMessage()).contains("java.lang.OutOfMemoryError: Direct buffer memory");
    // The only worker is still alive: the next request runs, and the version still drains and closes.
    var next = f.server.infer(request("m", null, 1, WIDTH, 5));
    await().atMost(Duration.ofSeconds(20)).until(next::isDone);
    assertDoubled(next.get(), 1, 5);
    f.server.unload("m");
    await().atMost(Duration.ofSeconds(20)).until(() -> f.backend.loaded.get(0).closed());
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "model_failed")).isEqualTo(1);
  }

  @Test
  void aRequestThatFailsTheRunOfItsBatchIsRunAloneAndFailsAlone() throws Exception {
    serve("{\"maxBatchSize\": 4, \"maxQueueDelayMicros\": 10000000}");
    // As a Gather with an index out of range would: the run fails for any batch holding a negative value.
    f.backend.fault = inputs -> {
      for (float v : inputs.get("x").toFloats()) {
        if (v < 0) {
          throw new InferenceException("ORT_INVALID_ARGUMENT: indices element out of data bounds", true, null);
        }
      }
    };
    int warmUpRuns = f.backend.loaded.get(0).runs.get();
    var a = f.server.infer(request("m", null, 1, WIDTH, 0));
    var b = f.server.infer(request("m", null, 1, WIDTH, 10));
    var bad = f.server.infer(request("m", null, 1, WIDTH, -100));
    var c = f.server.infer(request("m", null, 1, WIDTH, 30));
    InferenceFailure e = failure(bad);
    assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(e.getMessage()).contains("ORT_INVALID_ARGUMENT", "1 row");
    assertDoubled(a.get(), 1, 0);
    assertDoubled(b.get(), 1, 10);
    assertDoubled(c.get(), 1, 30);
    assertThat(c.get().batchSize()).isEqualTo(1);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "success")).isEqualTo(3);
    assertThat(f.metric("edgeai4j_inference_requests", "model", "m", "outcome", "bad_input")).isEqualTo(1);
    // 1 failed batch of 4, then 4 runs alone of which 3 succeed.
    assertThat(f.backend.loaded.get(0).runs.get() - warmUpRuns).isEqualTo(1 + 4);
    assertThat(f.metric("edgeai4j_inference_executions", "model", "m")).isEqualTo(3);
  }

  @Test
  void aModelWhoseOwnBatchDimensionIsFixedRunsRequestsOneByOneThoughModelJsonSaysOpen() throws Exception {
    Path dir = f.repo.scale("m", 1, WIDTH, 2f, WAIT_FOR_FULL);
    fixFirstDimension(dir.resolve("model.onnx"), 1);
    f.server.apply(new ServingConfig(root, Map.of("m", VersionPolicy.latest(1))));
    assertThat(f.server.models().get(0).versions().get(0).state()).isEqualTo(VersionState.READY);
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(f.server.infer(request("m", null, 1, WIDTH, 10 * i)));
    }
    for (int i = 0; i < 8; i++) {
      assertDoubled(futures.get(i).get(20, TimeUnit.SECONDS), 1, 10 * i);
      assertThat(futures.get(i).get().batchSize()).isEqualTo(1);
    }
    assertThat(f.metric("edgeai4j_inference_executions", "model", "m")).isEqualTo(8);
    InferenceFailure two = failure(f.server.infer(request("m", null, 2, WIDTH, 0)));
    assertThat(two.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(two.getMessage()).contains("input 'x'", "[2, 4]", "expected 1");
  }

  /** Rewrites an ONNX model so that its input and output have a fixed first dimension. */
  private static void fixFirstDimension(Path onnx, long size) throws Exception {
    OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)).toBuilder();
    model.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
        .getDimBuilder(0).clearDimParam().setDimValue(size);
    model.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
        .getDimBuilder(0).clearDimParam().setDimValue(size);
    Files.write(onnx, model.build().toByteArray());
  }
}
