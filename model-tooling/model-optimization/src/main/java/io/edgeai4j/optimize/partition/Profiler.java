package io.edgeai4j.optimize.partition;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.inspect.TensorProbe;
import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles a model on this machine ({@code edge model profile}): ONNX Runtime (CPU, sequential execution, the given
 * intra-op threads) with its profiler on, graph optimization disabled so that every profiled kernel is one of the
 * model's own nodes (at basic level and above ONNX Runtime fuses nodes, e.g. Conv+Relu, and names the fused node
 * itself, and a cut could not name a fused tensor); one row per run, the rows of the data directory in turn;
 * warm-up runs are dropped by the {@code model_run} events' time spans. Tensor sizes come from one run with every node
 * output made a graph output ({@link TensorProbe}), for one row. Stateless, thread-safe.
 */
public final class Profiler {
  private Profiler() {}

  /**
   * Profiles {@code modelFile} on the inputs of {@code data} (ONNX test-data layout).
   *
   * @throws PartitionException naming the file or input at fault, or ONNX Runtime's message
   */
  public static ModelProfile profile(Path modelFile, Path data, ProfileOptions options) throws PartitionException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (NoSuchFileException e) {
      throw new PartitionException(modelFile + ": no such file", e);
    } catch (IOException e) {
      throw new PartitionException(modelFile + ": cannot be read: " + e, e);
    }
    OnnxMl.ModelProto model;
    try {
      model = NodeNames.named(OnnxMl.ModelProto.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new PartitionException(modelFile + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
    List<List<DataTensor>> rows = rows(data, options.runs() + options.warmupRuns());
    Path traceDirectory;
    try {
      traceDirectory = Files.createTempDirectory("edgeai4j-profile");
    } catch (IOException e) {
      throw new PartitionException("cannot create a temporary directory for ONNX Runtime's trace: " + e, e);
    }
    List<TraceEvents.Run> runs;
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
      sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      sessionOptions.setIntraOpNumThreads(options.threads());
      sessionOptions.setInterOpNumThreads(1);
      sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      sessionOptions.enableProfiling(traceDirectory.resolve("ort").toString());
      try (OrtSession session = environment.createSession(model.toByteArray(), sessionOptions)) {
        List<String> names = new ArrayList<>();
        List<TensorInfo> infos = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
          if (!(e.getValue().getInfo() instanceof TensorInfo info)) {
            throw new PartitionException(modelFile + ": input '" + e.getKey() + "' is no tensor: "
                + e.getValue().getInfo());
          }
          names.add(e.getKey());
          infos.add(info);
        }
        for (int r = 0; r < options.warmupRuns() + options.runs(); r++) {
          List<DataTensor> row = rows.get(r % rows.size());
          if (row.size() != names.size()) {
            throw new PartitionException(data + ": a set holds " + row.size() + " input(s); the model takes "
                + names.size() + " " + names);
          }
          Map<String, OnnxTensor> feed = new LinkedHashMap<>();
          try {
            for (int i = 0; i < names.size(); i++) {
              feed.put(names.get(i), tensor(environment, names.get(i), infos.get(i).type, row.get(i)));
            }
            session.run(feed).close();
          } finally {
            feed.values().forEach(OnnxTensor::close);
          }
        }
        Path trace = Path.of(session.endProfiling());
        runs = TraceEvents.read(trace.isAbsolute() ? trace : traceDirectory.resolve(trace.getFileName()));
      }
    } catch (OrtException e) {
      throw new PartitionException(modelFile + ": ONNX Runtime: " + e.getMessage(), e);
    } finally {
      deleteAll(traceDirectory);
    }
    if (runs.size() != options.warmupRuns() + options.runs()) {
      throw new PartitionException("ONNX Runtime's trace holds " + runs.size() + " model runs; expected "
          + (options.warmupRuns() + options.runs()));
    }
    List<TraceEvents.Run> measured = runs.subList(options.warmupRuns(), runs.size());
    List<ModelProfile.NodeTiming> nodes = new ArrayList<>();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      nodes.add(timing(node, measured));
    }
    Map<String, ModelProfile.TensorSize> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, TensorProbe.Tensor> e : TensorProbe.probe(model).entrySet()) {
        TensorProbe.Tensor t = e.getValue();
        OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(t.elementType());
        String typeName = type == null ? "UNDEFINED" : type.name();
        tensors.put(e.getKey(), new ModelProfile.TensorSize(typeName, t.shape(),
            t.elements() * elementBytes(typeName)));
      }
    } catch (OrtException e) {
      throw new PartitionException(modelFile + ": ONNX Runtime cannot probe the tensor sizes: " + e.getMessage(), e);
    }
    ModelProfile.Machine machine = new ModelProfile.Machine(cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        environment.getVersion(), options.threads());
    return new ModelProfile(modelFile.getFileName().toString(), sha256(bytes), "disabled", options.warmupRuns(),
        options.runs(), machine, nodes, tensors, CodecBenchmark.measure());
  }

  /** The SHA-256 of a file's bytes, hex. */
  public static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static ModelProfile.NodeTiming timing(OnnxMl.NodeProto node, List<TraceEvents.Run> runs) {
    double[] samples = new double[runs.size()];
    int found = 0;
    for (TraceEvents.Run run : runs) {
      Double micros = run.nodeMicros().get(node.getName());
      if (micros != null) {
        samples[found++] = micros;
      }
    }
    if (found == 0) {
      return new ModelProfile.NodeTiming(node.getName(), node.getOpType(), 0, 0, 0, 0);
    }
    double[] values = Arrays.copyOf(samples, found);
    double mean = Arrays.stream(values).average().orElse(0);
    double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
    Arrays.sort(values);
    double p50 = values.length % 2 == 1 ? values[values.length / 2]
        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    return new ModelProfile.NodeTiming(node.getName(), node.getOpType(), found, mean, p50, Math.sqrt(variance));
  }

  /** Enough single rows for the runs: every row of every set, in order, read until there are {@code wanted}. */
  private static List<List<DataTensor>> rows(Path data, int wanted) throws PartitionException {
    List<List<DataTensor>> rows = new ArrayList<>();
    try {
      for (TestDataSets.DataSet set : TestDataSets.open(data)) {
        long count = set.inputs().get(0).rows();
        for (long r = 0; r < count && rows.size() < wanted; r++) {
          List<DataTensor> row = new ArrayList<>();
          for (DataTensor t : set.inputs()) {
            row.add(slice(t, r));
          }
          rows.add(row);
        }
        if (rows.size() >= wanted) {
          break;
        }
      }
    } catch (DataSetException e) {
      throw new PartitionException("--data: " + e.getMessage(), e);
    } catch (TestDataSets.DataSetUncheckedException e) {
      throw new PartitionException("--data: " + e.getCause().getMessage(), e.getCause());
    }
    if (rows.isEmpty()) {
      throw new PartitionException("--data " + data + ": holds no row; expected test_data_set_<n>/input_<i>.pb");
    }
    return rows;
  }

  private static DataTensor slice(DataTensor t, long row) {
    long[] shape = t.shape();
    double[] values = t.values();
    int per = Math.toIntExact(values.length / Math.max(1, shape[0]));
    shape[0] = 1;
    return new DataTensor(t.name(), t.elementType(), shape,
        Arrays.copyOfRange(values, Math.toIntExact(row * per), Math.toIntExact(row * per + per)));
  }

  private static OnnxTensor tensor(OrtEnvironment env, String name, OnnxJavaType type, DataTensor t)
      throws OrtException, PartitionException {
    double[] v = t.values();
    long[] shape = t.shape();
    return switch (type) {
      case FLOAT -> {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          f[i] = (float) v[i];
        }
        yield OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
      }
      case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(Arrays.stream(v).mapToLong(d -> (long) d)
          .toArray()), shape);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(Arrays.stream(v).mapToInt(d -> (int) d)
          .toArray()), shape);
      default -> throw new PartitionException("input '" + name + "' has element type " + type
          + "; profiling feeds float32, float64, int64 or int32 inputs");
    };
  }

  /** Bytes per element of an ONNX element type (0 for strings and unknown types, whose size is not fixed). */
  static int elementBytes(String type) {
    return switch (type) {
      case "DOUBLE", "INT64", "UINT64", "COMPLEX64" -> 8;
      case "FLOAT", "INT32", "UINT32" -> 4;
      case "FLOAT16", "BFLOAT16", "INT16", "UINT16" -> 2;
      case "INT8", "UINT8", "BOOL", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ" -> 1;
      case "COMPLEX128" -> 16;
      default -> 0;
    };
  }

  /** The CPU model from /proc/cpuinfo ({@code model name}, else {@code Model} on ARM), else the JVM's os.arch. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String key = line.substring(0, colon).trim();
          if (key.equals("model name") || key.equals("Model")) {
            return line.substring(colon + 1).trim();
          }
        }
      }
    } catch (IOException e) {
      // No /proc (not Linux): the architecture below says what is known.
    }
    return "unknown CPU (" + System.getProperty("os.arch") + ")";
  }

  private static void deleteAll(Path directory) {
    try (var files = Files.walk(directory)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // A temporary file left behind is harmless.
        }
      });
    } catch (IOException ignored) {
      // Same.
    }
  }
}
