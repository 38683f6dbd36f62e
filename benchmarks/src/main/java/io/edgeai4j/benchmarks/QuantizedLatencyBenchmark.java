package io.edgeai4j.benchmarks;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.google.protobuf.ByteString;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.quantize.QdqQuantizer;
import io.edgeai4j.optimize.quantize.QuantizeOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * ONNX Runtime CPU latency of a conv classifier in fp32 and as the int8 QDQ model {@code edge model quantize} writes
 * with its defaults ({@link QdqQuantizer}, MinMax, per tensor, S8S8), measured in the same run: a bare
 * {@link OrtSession#run} (1 intra-op and 1 inter-op thread, all optimisations, batch 1) on an input made once. The
 * model is {@code OnnxTestModels.conv1d} (input {@code [1, 1, length]}, three convolutions of 64 filters of width 5,
 * 10 classes: 42,122 parameters); the int8 model is calibrated in set-up on 8 sets of 16 generated vibration windows.
 * The figure is {@code int8 / fp32}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class QuantizedLatencyBenchmark {
  /** fp32, or int8 (the quantized model). */
  @Param({"fp32", "int8"})
  public String precision;

  /** Samples per window. */
  @Param({"256"})
  public int length;

  private Path directory;
  private SessionOptions options;
  private OrtSession session;
  private OnnxTensor input;
  private Map<String, OnnxTensor> feeds;

  @Setup
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("quantized-latency");
    Path fp32 = OnnxTestModels.conv1d(directory.resolve("conv.onnx"), length, 64, 3, 5, 10, 11);
    Path model = fp32;
    if (precision.equals("int8")) {
      Path calibration = directory.resolve("calibration");
      for (int set = 0; set < 8; set++) {
        writeSet(calibration, set, windows(16, length, 100 + set), 16);
      }
      model = directory.resolve("conv.int8.onnx");
      OnnxModelFile.writeChecked(QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(calibration),
          QuantizeOptions.defaults(), null).model(), model);
    } else if (!precision.equals("fp32")) {
      throw new IllegalArgumentException("precision must be fp32 or int8, found '" + precision + "'");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    options = new SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    session = env.createSession(model.toString(), options);
    input = OnnxTensor.createTensor(env, FloatBuffer.wrap(windows(1, length, 3)), new long[] {1, 1, length});
    feeds = Map.of(OnnxTestModels.INPUT, input);
  }

  /** One run; returns the top class so that the work cannot be optimised away. */
  @Benchmark
  public int run() throws OrtException {
    try (OrtSession.Result result = session.run(feeds)) {
      FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
      int best = 0;
      for (int c = 1; c < y.remaining(); c++) {
        if (y.get(c) > y.get(best)) {
          best = c;
        }
      }
      return best;
    }
  }

  /** The model file run, for the test. */
  OrtSession session() {
    return session;
  }

  @TearDown
  public void tearDown() throws Exception {
    if (input != null) {
      input.close();
      input = null;
    }
    if (session != null) {
      session.close();
      session = null;
    }
    if (options != null) {
      options.close();
      options = null;
    }
    BenchmarkModels.deleteTree(directory);
    directory = null;
  }

  Path directory() {
    return directory;
  }

  /** Vibration-like windows: a sine of one of four frequencies, random amplitude and phase, plus noise. */
  static float[] windows(int rows, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rows * length];
    for (int r = 0; r < rows; r++) {
      double frequency = 0.03 + 0.05 * random.nextInt(4);
      double amplitude = 0.5 + random.nextDouble() * 1.5;
      double phase = random.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < length; t++) {
        x[r * length + t] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * t + phase)
            + 0.2 * random.nextGaussian());
      }
    }
    return x;
  }

  private static void writeSet(Path dir, int n, float[] values, int rows) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : values) {
      b.putFloat(f);
    }
    OnnxMl.TensorProto t = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addDims(rows).addDims(1).addDims(values.length / rows).setRawData(ByteString.copyFrom(b.array())).build();
    Path set = dir.resolve("test_data_set_" + n);
    Files.createDirectories(set);
    Files.write(set.resolve("input_0.pb"), t.toByteArray());
  }
}
