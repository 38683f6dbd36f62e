package io.edgeai4j.benchmarks;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The dynamic batcher as the inference module drives it: one thread submits requests (the module's message thread
 * calling {@code ModelServer.infer}) and results come back asynchronously, with {@link #concurrency} requests
 * outstanding at all times: Triton's {@code perf_analyzer --concurrency-range} closed loop, where a client is an
 * outstanding request, not a thread. Each operation waits for one request to complete and submits the next, so the
 * score is completed requests per second. Batching {@code on} ({@code maxBatchSize} 32, {@code maxQueueDelayMicros}
 * 300, adaptive), {@code triton} (the same under Triton's rule) or {@code off} ({@code maxBatchSize} 1, no delay; with
 * one instance a request that finds it free runs on the submitting thread), {@link #instances} instances, one
 * intra-op thread each. {@link FullBatchBenchmark} is the limit: bare ONNX Runtime running full batches. Latency (submit to completion) of every measured
 * request goes into a {@link LatencyHistogram}; p50 and p99 and the mean batch size are printed after each measured
 * iteration and at the end of the trial.
 *
 * <p>{@link DynamicBatchingBenchmark} measures the other way of being concurrent: one blocked thread per client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class OutstandingRequestsBenchmark {
  private static final long WAIT_SECONDS = 20;
  /** The {@link #size} that measures the benchmark's own ceiling: no server. */
  static final String NO_SERVER = "none";

  /** Requests outstanding at all times. */
  @Param({"1", "8", "32"})
  public int concurrency;

  /**
   * {@code on}: adaptive batches of up to {@value DynamicBatchingBenchmark#MAX_BATCH} rows (the default: a batch
   * waits for company only while a run is in progress); {@code triton}: the same limits under Triton's rule (every
   * batch waits until full or the queue delay is up: the rule before adaptive batching); {@code off}: one per run.
   */
  @Param({"on", "triton", "off"})
  public String batching;

  /** Concurrent runs of the version ({@code batching.instances}). */
  @Param({"1"})
  public int instances;

  /**
   * The model: {@code 16x4} is one tiny dense layer; {@code 64x128x128x128x128x8} a small multi-layer perceptron
   * (a feature vector of 64 in, 8 classes out, 4 hidden layers: 13 operators). {@value #NO_SERVER} measures this
   * benchmark's own ceiling: no server and no model, each request's future is completed (with a result made once)
   * as soon as {@code min(concurrency, 32)} are outstanding, on the submitting thread, so the score is what the
   * closed loop itself (futures, callbacks, the completion queue, the histogram) can do on the machine.
   */
  @Param({"16x4", "64x128x128x128x128x8"})
  public String size;

  /** A finished request, as its callback saw it. */
  private record Completion(long submittedNanos, long completedNanos, InferenceResult result, Throwable failure) {}

  private Path repository;
  private OnnxServing serving;
  /** Answers requests: the server's {@code infer}, or (size {@value #NO_SERVER}) the ceiling's stand-in. */
  private Function<InferenceRequest, CompletableFuture<InferenceResult>> server;
  private InferenceRequest request;
  private BlockingQueue<Completion> completions;
  private int outstanding;
  private boolean measuring;
  private final LatencyHistogram iteration = new LatencyHistogram();
  private final LatencyHistogram trial = new LatencyHistogram();
  private long requests;
  private long rows;

  /** Writes the model with the batching policy asked for, starts the server and submits the first requests. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, found " + concurrency);
    }
    if (NO_SERVER.equals(size)) {
      request = new InferenceRequest(DynamicBatchingBenchmark.MODEL, null, Map.of(), null);
      server = new NoServer(Math.min(concurrency, DynamicBatchingBenchmark.MAX_BATCH));
    } else {
      startServer();
    }
    completions = new ArrayBlockingQueue<>(concurrency);
    for (int i = 0; i < concurrency; i++) {
      submit();
    }
  }

  private void startServer() throws Exception {
    BenchmarkModels.Size widths = InferenceOverheadBenchmark.parseSize(size);
    Duration delay = Duration.ofNanos(DynamicBatchingBenchmark.QUEUE_DELAY_MICROS * 1000);
    BenchmarkModels.Batching policy = switch (batching) {
      case "on" -> new BenchmarkModels.Batching(DynamicBatchingBenchmark.MAX_BATCH, delay, true, instances);
      case "triton" -> new BenchmarkModels.Batching(DynamicBatchingBenchmark.MAX_BATCH, delay, false, instances);
      case "off" -> new BenchmarkModels.Batching(1, Duration.ZERO, true, instances);
      default -> throw new IllegalArgumentException("batching must be on, triton or off, found '" + batching + "'");
    };
    repository = Files.createTempDirectory("edgeai4j-outstanding-");
    try {
      BenchmarkModels.write(repository, DynamicBatchingBenchmark.MODEL, widths, policy);
      serving = new OnnxServing(repository, DynamicBatchingBenchmark.MODEL);
    } catch (Exception | Error e) {
      tearDown();
      throw e;
    }
    Tensor row = Tensor.ofFloats(BenchmarkModels.INPUT, widths.rowShape(),
        InferenceOverheadBenchmark.inputRow(widths.in()));
    request = new InferenceRequest(DynamicBatchingBenchmark.MODEL, null, Map.of(BenchmarkModels.INPUT, row), null);
    server = serving.server()::infer;
  }

  /**
   * The ceiling's stand-in for a server: holds the futures of the requests submitted and, once {@code batch} are
   * held, completes them all with one result made up front (batch size {@code batch}), on the submitting thread.
   * Does no other work. Not thread-safe: the benchmark's one thread calls it.
   */
  private static final class NoServer implements Function<InferenceRequest, CompletableFuture<InferenceResult>> {
    private final int batch;
    private final List<CompletableFuture<InferenceResult>> held = new ArrayList<>();
    private final InferenceResult result;

    NoServer(int batch) {
      this.batch = batch;
      this.result = new InferenceResult(DynamicBatchingBenchmark.MODEL, 1, Map.of(), Duration.ZERO, Duration.ZERO,
          Duration.ZERO, batch);
    }

    @Override
    public CompletableFuture<InferenceResult> apply(InferenceRequest request) {
      CompletableFuture<InferenceResult> future = new CompletableFuture<>();
      held.add(future);
      if (held.size() == batch) {
        for (CompletableFuture<InferenceResult> f : held) {
          f.complete(result);
        }
        held.clear();
      }
      return future;
    }
  }

  /** Starts recording latencies when a measured iteration begins. */
  @Setup(Level.Iteration)
  public void startIteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
    iteration.clear();
  }

  /** Waits for one request to complete, records it and submits the next. */
  @Benchmark
  @Threads(1)
  public InferenceResult request() throws InterruptedException {
    Completion done = completions.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (done == null) {
      throw new IllegalStateException("no request completed within " + WAIT_SECONDS + " s with " + outstanding
          + " outstanding");
    }
    outstanding--;
    if (done.failure() != null) {
      throw new IllegalStateException("a request failed: " + done.failure(), done.failure());
    }
    if (measuring) {
      iteration.record(done.completedNanos() - done.submittedNanos());
      requests++;
      rows += done.result().batchSize();
    }
    submit();
    return done.result();
  }

  private void submit() {
    long submitted = System.nanoTime();
    outstanding++;
    server.apply(request).whenComplete(
        (result, failure) -> completions.add(new Completion(submitted, System.nanoTime(), result, failure)));
  }

  /** Prints a measured iteration's percentiles and adds them to the trial's. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    if (measuring && iteration.count() > 0) {
      System.out.printf("%n  latency p50 %d us, p99 %d us (%d requests)%n",
          iteration.percentileMicros(50), iteration.percentileMicros(99), iteration.count());
      trial.add(iteration);
    }
    measuring = false;
  }

  /** The histogram of every measured request so far. */
  LatencyHistogram latencies() {
    return trial;
  }

  /** The mean rows per run over measured requests (each request counts the batch it ran in); 0 before any. */
  double meanBatchSize() {
    return requests == 0 ? 0 : (double) rows / requests;
  }

  /** The model repository while set up; null after {@link #tearDown()}. */
  Path repository() {
    return repository;
  }

  /** Waits for the outstanding requests, prints the trial's figures, closes the server, deletes the repository. */
  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    try {
      while (outstanding > 0 && completions.poll(WAIT_SECONDS, TimeUnit.SECONDS) != null) {
        outstanding--;
      }
      if (trial.count() > 0) {
        System.out.printf("%nconcurrency %d, batching %s, instances %d, size %s: %d measured requests, latency p50 %d"
                + " us, p99 %d us, mean batch size %.1f%n", concurrency, batching, instances, size, trial.count(),
            trial.percentileMicros(50), trial.percentileMicros(99), meanBatchSize());
      }
    } finally {
      OnnxServing closing = serving;
      serving = null;
      Path deleting = repository;
      repository = null;
      BenchmarkModels.closeAndDelete(closing, deleting);
    }
  }
}
