package io.edgeai4j.benchmarks;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

/**
 * The model server's dynamic batcher under 1, 8 and 32 concurrent clients ({@link #clients01()},
 * {@link #clients08()}, {@link #clients32()}), with batching {@code on} ({@code maxBatchSize} {@value #MAX_BATCH},
 * {@code maxQueueDelayMicros} {@value #QUEUE_DELAY_MICROS}) and {@code off} ({@code maxBatchSize} 1, no delay), one
 * instance, one intra-op thread, on a small dense layer ({@link #size}). Each client sends a one-row request and
 * waits for its result, then sends the next (a closed loop). Mode SampleTime gives each request's latency: the mean
 * and the percentiles (p99 is the figure); throughput is {@code clients / mean latency}. The mean batch size of a run
 * is printed at its end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DynamicBatchingBenchmark {
  static final String MODEL = "batching";
  static final int MAX_BATCH = 32;
  static final long QUEUE_DELAY_MICROS = 300;

  /** {@code on}: batches of up to {@value #MAX_BATCH} rows; {@code off}: one request per run. */
  @Param({"on", "off"})
  public String batching;

  /** The dense layer, {@code <in>x<out>}. */
  @Param({"16x4", "512x512"})
  public String size;

  private Path repository;
  private OnnxServing serving;
  private InferenceRequest request;
  private final LongAdder requests = new LongAdder();
  private final LongAdder rows = new LongAdder();

  /** Writes the model with the batching policy asked for and starts the model server. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    BenchmarkModels.Size dense = InferenceOverheadBenchmark.parseSize(size);
    BenchmarkModels.Batching policy = switch (batching) {
      case "on" -> new BenchmarkModels.Batching(MAX_BATCH, Duration.ofNanos(QUEUE_DELAY_MICROS * 1000));
      case "off" -> BenchmarkModels.Batching.OFF;
      default -> throw new IllegalArgumentException("batching must be on or off, found '" + batching + "'");
    };
    repository = Files.createTempDirectory("edgeai4j-batching-");
    try {
      BenchmarkModels.write(repository, MODEL, dense, policy);
      serving = new OnnxServing(repository, MODEL);
    } catch (Exception | Error e) {
      tearDown();
      throw e;
    }
    Tensor row = Tensor.ofFloats(BenchmarkModels.INPUT, dense.rowShape(),
        InferenceOverheadBenchmark.inputRow(dense.in()));
    request = new InferenceRequest(MODEL, null, Map.of(BenchmarkModels.INPUT, row), null);
  }

  /** One client. */
  @Benchmark
  @Threads(1)
  public InferenceResult clients01() throws Exception {
    return infer();
  }

  /** 8 clients. */
  @Benchmark
  @Threads(8)
  public InferenceResult clients08() throws Exception {
    return infer();
  }

  /** 32 clients. */
  @Benchmark
  @Threads(32)
  public InferenceResult clients32() throws Exception {
    return infer();
  }

  /** One request, waited for; counts the rows of the batch it ran in. */
  InferenceResult infer() throws Exception {
    InferenceResult result = serving.server().infer(request).get(20, TimeUnit.SECONDS);
    requests.increment();
    rows.add(result.batchSize());
    return result;
  }

  /** The server while set up; null after {@link #tearDown()}. */
  OnnxServing serving() {
    return serving;
  }

  /** The model repository while set up; null after {@link #tearDown()}. */
  Path repository() {
    return repository;
  }

  /** The mean rows per run, weighted by request (each request counts the batch it ran in); 0 before any. */
  double meanBatchSize() {
    long n = requests.sum();
    return n == 0 ? 0 : (double) rows.sum() / n;
  }

  /** Prints the mean batch size, closes the server and deletes the repository. Idempotent. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (serving != null && requests.sum() > 0) {
      System.out.printf("%nbatching %s, size %s: %d requests, mean batch size %.1f (as seen by a request)%n",
          batching, size, requests.sum(), meanBatchSize());
    }
    OnnxServing closing = serving;
    serving = null;
    Path deleting = repository;
    repository = null;
    BenchmarkModels.closeAndDelete(closing, deleting);
  }
}
