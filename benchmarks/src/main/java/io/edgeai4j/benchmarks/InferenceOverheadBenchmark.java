package io.edgeai4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.module.InferPath;
import io.edgeai4j.module.EdgeMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What the inference module adds to a model run: {@link #modulePath()} handles one {@code infer} message (JSON with a
 * base64 input, one row) as the module does ({@link InferPath}: parse, decode, {@code ModelServer.infer} through the
 * queue and the batcher's worker with a batch of 1, encode the result as base64 JSON); {@link #bareOrtRun()} is the
 * baseline, a bare {@link OrtSession#run} on the same model file with the same session options (1 intra-op thread,
 * 1 inter-op thread, sequential, all optimisations) on an input tensor made once, reading the output as a
 * {@link FloatBuffer}. Between them, to split the overhead: {@link #backendRun()} (the backend's
 * {@code LoadedModel.run}, no server), {@link #serverInfer()} (the model server with a ready-made request, no JSON) and
 * {@link #codecOnly()} (the module's JSON work alone, no model run). The models ({@link #size}): a tiny dense layer
 * for the absolute overhead in microseconds, and for the ratio a compute-bound 1-D CNN of about 1 ms
 * ({@code conv2048x32x4}) and a memory-bound MLP of about 1 ms whose weights exceed the cache. Average time per call on
 * one thread. Ten warm-up iterations: the module's path has far more Java to compile than the bare call, and with
 * fewer its forks can measure the JIT compiler competing for a small machine's cores (a 1.35x slow mode seen with 3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@Threads(1)
public class InferenceOverheadBenchmark {
  static final String MODEL = "overhead";

  /** The model: {@code <in>x<out>} (a dense layer), more widths (an MLP) or {@code conv<length>x<channels>x<layers>}. */
  @Param({"16x4", "conv2048x32x4", "64x2048x2048x2048x8"})
  public String size;

  private Path repository;
  private OnnxServing serving;
  private InferPath path;
  private LoadedModel model;
  private Map<String, Tensor> tensors;
  private InferenceRequest inferenceRequest;
  private InferenceResult earlier;
  private EdgeMessage request;
  private SessionOptions sessionOptions;
  private OrtSession session;
  private OnnxTensor input;
  private Map<String, OnnxTensor> feeds;

  /** Writes the model, starts the model server, and opens the baseline's session on the same file. */
  @Setup
  public void setUp() throws Exception {
    BenchmarkModels.Size dense = parseSize(size);
    repository = Files.createTempDirectory("edgeai4j-overhead-");
    try {
      Path modelFile = BenchmarkModels.write(repository, MODEL, dense, BenchmarkModels.Batching.OFF);
      float[] values = inputRow(dense.in());
      serving = new OnnxServing(repository, MODEL);
      path = new InferPath(serving.server(), Duration.ofSeconds(20));
      Tensor row = Tensor.ofFloats(BenchmarkModels.INPUT, dense.rowShape(), values);
      request = InferPath.request(MODEL, "overhead-1", row);
      tensors = Map.of(BenchmarkModels.INPUT, row);
      inferenceRequest = new InferenceRequest(MODEL, null, tensors, "overhead-1");
      model = serving.backend().load(modelFile, List.of());
      earlier = serving.server().infer(inferenceRequest).get(20, TimeUnit.SECONDS);
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      sessionOptions = new SessionOptions();
      sessionOptions.setIntraOpNumThreads(OnnxServing.OPTIONS.intraOpThreads());
      sessionOptions.setInterOpNumThreads(OnnxServing.OPTIONS.interOpThreads());
      sessionOptions.setExecutionMode(ExecutionMode.SEQUENTIAL);
      sessionOptions.setOptimizationLevel(OptLevel.ALL_OPT);
      session = environment.createSession(modelFile.toString(), sessionOptions);
      FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      buffer.put(values).flip();
      input = OnnxTensor.createTensor(environment, buffer, dense.rowShape());
      feeds = Map.of(BenchmarkModels.INPUT, input);
    } catch (Exception | Error e) {
      tearDown();
      throw e;
    }
  }

  /** The module's path for one message; returns the {@code results} message. */
  @Benchmark
  public EdgeMessage modulePath() throws InterruptedException {
    EdgeMessage result = path.handle(request);
    if (!"ok".equals(result.properties().get("status"))) {
      throw new IllegalStateException("the module path answered an error: " + result.bodyAsString());
    }
    return result;
  }

  /** The module's JSON work alone: decode the message, write the answer from a result computed in set-up. */
  @Benchmark
  public EdgeMessage codecOnly() {
    return path.codecOnly(request, earlier);
  }

  /** One request through the model server (queue, worker, backend) with a tensor made once; no JSON. */
  @Benchmark
  public InferenceResult serverInfer() throws Exception {
    return serving.server().infer(inferenceRequest).get(20, TimeUnit.SECONDS);
  }

  /** One run of the backend's model ({@code LoadedModel.run}) on a tensor made once; no server, no JSON. */
  @Benchmark
  public Map<String, Tensor> backendRun() throws InferenceException {
    return model.run(tensors);
  }

  /** The baseline: one bare run; returns the first output value. */
  @Benchmark
  public float bareOrtRun() throws OrtException {
    try (OrtSession.Result result = session.run(feeds)) {
      FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
      return output.get(0);
    }
  }

  /** Closes the baseline's native objects and the model server, and deletes the repository. Idempotent. */
  @TearDown
  public void tearDown() throws OrtException {
    try {
      if (input != null) {
        input.close();
        input = null;
      }
      if (session != null) {
        session.close();
        session = null;
      }
      if (sessionOptions != null) {
        sessionOptions.close();
        sessionOptions = null;
      }
    } finally {
      if (model != null) {
        model.close();
        model = null;
      }
      if (serving != null) {
        serving.close();
        serving = null;
      }
      BenchmarkModels.deleteTree(repository);
      repository = null;
    }
  }

  /** The model repository while set up; null after {@link #tearDown()}. */
  Path repository() {
    return repository;
  }

  /** The input row both paths run: seeded values in [-1, 1). */
  static float[] inputRow(int width) {
    SplittableRandom random = new SplittableRandom(7);
    float[] values = new float[width];
    for (int i = 0; i < width; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }

  /**
   * Parses {@code <in>x<out>}.
   *
   * @throws IllegalArgumentException Naming the text found and the form expected.
   */
  static BenchmarkModels.Size parseSize(String text) {
    String[] parts = text.split("x", -1);
    try {
      if (text.startsWith("conv") && parts.length == 3) {
        return new BenchmarkModels.Size(java.util.List.of(), new BenchmarkModels.Size.Conv(
            Integer.parseInt(parts[0].substring(4)), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
      }
      if (parts.length >= 2) {
        java.util.List<Integer> widths = new java.util.ArrayList<>();
        for (String part : parts) {
          widths.add(Integer.parseInt(part));
        }
        return new BenchmarkModels.Size(widths);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("size must be widths joined by x such as 16x4 (one layer) or 64x256x256x8 (an"
        + " MLP), or conv<length>x<channels>x<layers> such as conv1024x32x4 (a 1-D CNN), found '" + text + "'");
  }
}
