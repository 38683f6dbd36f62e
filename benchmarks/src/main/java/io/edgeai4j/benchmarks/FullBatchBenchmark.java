package io.edgeai4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The limit for {@link OutstandingRequestsBenchmark}: bare ONNX Runtime running full batches of {@link #batch} rows
 * back to back on one thread, the same model file and session options (one intra-op thread, sequential,
 * {@code ALL_OPT}) as the server's. Its score, runs per second, times {@link #batch} is the most rows per second
 * a server can answer; the served throughput at 32 outstanding requests is compared with it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class FullBatchBenchmark {
  /** Rows per run: the served batch size. */
  @Param({"32"})
  public int batch;

  /** The model, as in {@link OutstandingRequestsBenchmark#size}. */
  @Param({"16x4", "64x128x128x128x128x8"})
  public String size;

  private Path repository;
  private SessionOptions options;
  private OrtSession session;
  private OnnxTensor input;
  private Map<String, OnnxTensor> feeds;

  /** Writes the model and opens the session on a full batch. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    BenchmarkModels.Size widths = InferenceOverheadBenchmark.parseSize(size);
    repository = Files.createTempDirectory("edgeai4j-full-batch-");
    Path model = BenchmarkModels.write(repository, DynamicBatchingBenchmark.MODEL, widths, BenchmarkModels.Batching.OFF);
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    options = new SessionOptions();
    options.setIntraOpNumThreads(OnnxServing.OPTIONS.intraOpThreads());
    options.setInterOpNumThreads(OnnxServing.OPTIONS.interOpThreads());
    options.setExecutionMode(ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OptLevel.ALL_OPT);
    session = environment.createSession(model.toString(), options);
    float[] row = InferenceOverheadBenchmark.inputRow(widths.in());
    float[] rows = new float[row.length * batch];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(row, 0, rows, r * row.length, row.length);
    }
    long[] shape = widths.rowShape();
    shape[0] = batch;
    input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(rows), shape);
    feeds = Map.of(BenchmarkModels.INPUT, input);
  }

  /** One run of a full batch; returns an output element so that nothing is optimised away. */
  @Benchmark
  @Threads(1)
  public float fullBatchRun() throws OrtException {
    try (OrtSession.Result result = session.run(feeds)) {
      return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
    }
  }

  /** Closes the session, its options and the input, and deletes the repository. */
  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    try {
      if (input != null) {
        input.close();
      }
      if (session != null) {
        session.close();
      }
      if (options != null) {
        options.close();
      }
    } finally {
      BenchmarkModels.deleteTree(repository);
    }
  }
}
