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
 * with its defaults ({@link QdqQuantizer}, {@link QuantizeOptions#defaults()}: MinMax, per tensor, S8S8), measured in
 * the same run: a bare {@link OrtSession#run} (1 intra-op and 1 inter-op thread, all optimisations, batch 1) on an
 * input made once. The figure is {@code int8 / fp32} for each {@link #model}:
 *
 * <ul>
 *   <li>{@code conv1d}: {@code OnnxTestModels.conv1d} with random weights (input {@code [1, 1, length]}, three
 *       convolutions of 64 filters of width 5, 10 classes: 42,122 parameters); the int8 model is calibrated in set-up on
 *       8 sets of 16 generated vibration windows; the input is one generated window.
 *   <li>{@code fashion-cnn}: the trained Fashion-MNIST CNN committed with {@code model-optimization}'s tests (input
 *       {@code [1, 1, 28, 28]}, 287,658 parameters; found by {@link FashionMnistCnn#model}: {@code
 *       -Dedgeai4j.fashionCnn=FILE}, else under the working directory or a parent); the int8 model is calibrated in
 *       set-up on the first 512 Fashion-MNIST training images in 8 sets of 64, as {@code FashionMnistQuantizationTest}
 *       does; the input is the first test image. Needs Debian's {@code dataset-fashion-mnist}
 *       ({@code /usr/share/datasets/fashion-mnist}); set-up fails naming it when it is missing.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class QuantizedLatencyBenchmark {
  /** conv1d (random weights, generated windows) or fashion-cnn (the trained Fashion-MNIST CNN). */
  @Param({"conv1d", "fashion-cnn"})
  public String model;

  /** fp32, or int8 (the quantized model). */
  @Param({"fp32", "int8"})
  public String precision;

  /** Samples per window of {@code conv1d}; {@code fashion-cnn} ignores it (its input is a 28 x 28 image). */
  @Param({"256"})
  public int length;

  private Path directory;
  private SessionOptions options;
  private OrtSession session;
  private Path modelFile;
  private OnnxTensor input;
  private Map<String, OnnxTensor> feeds;

  @Setup
  public void setUp() throws Exception {
    if (!precision.equals("fp32") && !precision.equals("int8")) {
      throw new IllegalArgumentException("precision must be fp32 or int8, found '" + precision + "'");
    }
    if (!model.equals("conv1d") && !model.equals("fashion-cnn")) {
      throw new IllegalArgumentException("model must be conv1d or fashion-cnn, found '" + model + "'");
    }
    directory = Files.createTempDirectory("quantized-latency");
    Path fp32;
    Path calibration = directory.resolve("calibration");
    float[] x;
    long[] shape;
    if (model.equals("conv1d")) {
      fp32 = OnnxTestModels.conv1d(directory.resolve("conv.onnx"), length, 64, 3, 5, 10, 11);
      if (precision.equals("int8")) {
        for (int set = 0; set < 8; set++) {
          writeSet(calibration, set, windows(16, length, 100 + set), 16);
        }
      }
      x = windows(1, length, 3);
      shape = new long[] {1, 1, length};
    } else {
      fp32 = FashionMnistCnn.model(System.getProperty(FashionMnistCnn.MODEL_PROPERTY), Path.of(""));
      if (precision.equals("int8")) {
        FashionMnistCnn.writeCalibration(FashionMnistCnn.DATA, calibration);
      }
      x = FashionMnistCnn.firstTestImage(FashionMnistCnn.DATA);
      shape = new long[] {1, 1, 28, 28};
    }
    Path file = fp32;
    if (precision.equals("int8")) {
      file = directory.resolve(model + ".int8.onnx");
      OnnxModelFile.writeChecked(QdqQuantizer.quantize(OnnxModelFile.read(fp32), TestDataSets.open(calibration),
          QuantizeOptions.defaults(), null).model(), file);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    options = new SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    session = env.createSession(file.toString(), options);
    modelFile = file;
    input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
    feeds = Map.of(session.getInputNames().iterator().next(), input);
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

  /** The session, for the test. */
  OrtSession session() {
    return session;
  }

  /** The model file run (the int8 one in the temporary directory), for the test. */
  Path modelFile() {
    return modelFile;
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
    modelFile = null;
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
