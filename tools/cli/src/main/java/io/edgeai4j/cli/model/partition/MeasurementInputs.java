package io.edgeai4j.cli.model.partition;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests of a measurement and the answers they must get: one row of the data directory per request (float32
 * inputs, mapped to the model's inputs by position), each row's {@code infer} body, and the unsplit model's outputs
 * for it, computed here by ONNX Runtime (one thread, all graph optimizations, as the inference module runs it) as the
 * little-endian bytes the answer's {@code base64} must hold. Immutable once read.
 */
final class MeasurementInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

  /** One request: its input tensors as float32 and the expected output bytes by output name. */
  record Row(Map<String, float[]> inputs, Map<String, long[]> shapes, Map<String, byte[]> expected) {}

  private final String modelName;
  private final List<Row> rows;
  private final List<String> outputs;

  private MeasurementInputs(String modelName, List<Row> rows, List<String> outputs) {
    this.modelName = modelName;
    this.rows = rows;
    this.outputs = outputs;
  }

  /**
   * Reads at most {@code wanted} rows of {@code data} and runs the unsplit model on each.
   *
   * @throws MeasurementException naming the data directory or the model at fault
   */
  static MeasurementInputs read(OnnxMl.ModelProto model, String modelName, Path data, int wanted)
      throws MeasurementException {
    Set<String> constants = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> constants.add(t.getName()));
    List<String> names = model.getGraph().getInputList().stream().map(OnnxMl.ValueInfoProto::getName)
        .filter(n -> !constants.contains(n)).toList();
    List<String> outputs = model.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    List<Row> rows = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(model.toByteArray(), options)) {
        for (TestDataSets.DataSet set : TestDataSets.open(data)) {
          if (set.inputs().size() != names.size()) {
            throw new MeasurementException("--data " + set.directory() + " holds " + set.inputs().size()
                + " input(s); the model takes " + names.size() + " " + names);
          }
          long count = set.inputs().get(0).rows();
          for (long r = 0; r < count && rows.size() < wanted; r++) {
            rows.add(row(env, session, names, outputs, set, r));
          }
          if (rows.size() >= wanted) {
            break;
          }
        }
      }
    } catch (DataSetException e) {
      throw new MeasurementException("--data: " + e.getMessage(), e);
    } catch (TestDataSets.DataSetUncheckedException e) {
      throw new MeasurementException("--data: " + e.getCause().getMessage(), e.getCause());
    } catch (OrtException e) {
      throw new MeasurementException("the unsplit model in ONNX Runtime: " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new MeasurementException("--data " + data + ": holds no row; expected test_data_set_<n>/input_<i>.pb");
    }
    return new MeasurementInputs(modelName, List.copyOf(rows), outputs);
  }

  private static Row row(OrtEnvironment env, OrtSession session, List<String> names, List<String> outputs,
      TestDataSets.DataSet set, long r) throws MeasurementException, OrtException {
    Map<String, float[]> inputs = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      DataTensor t = set.inputs().get(i);
      if (t.elementType() != FLOAT) {
        throw new MeasurementException("--data " + set.directory() + ": input " + i + " ('" + names.get(i)
            + "') is of ONNX element type " + t.elementType() + "; --measure sends float32 inputs (type " + FLOAT
            + ") only");
      }
      long[] shape = t.shape();
      double[] values = t.values();
      int per = Math.toIntExact(values.length / Math.max(1, shape[0]));
      float[] row = new float[per];
      for (int k = 0; k < per; k++) {
        row[k] = (float) values[Math.toIntExact(r * per + k)];
      }
      shape[0] = 1;
      inputs.put(names.get(i), row);
      shapes.put(names.get(i), shape);
    }
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    Map<String, byte[]> expected = new LinkedHashMap<>();
    try {
      for (String name : names) {
        feed.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs.get(name)), shapes.get(name)));
      }
      try (OrtSession.Result result = session.run(feed)) {
        for (String output : outputs) {
          OnnxValue value = result.get(output).orElseThrow();
          if (!(value instanceof OnnxTensor tensor)) {
            throw new MeasurementException("output '" + output + "' is no tensor; --measure compares tensors");
          }
          ByteBuffer bytes = tensor.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          expected.put(output, copy);
        }
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
    return new Row(inputs, shapes, expected);
  }

  /** The number of distinct rows; request {@code k} takes row {@code k % size()}. */
  int size() {
    return rows.size();
  }

  /** The row of request {@code k}. */
  Row row(int k) {
    return rows.get(k % rows.size());
  }

  /** The unsplit model's outputs. */
  List<String> outputs() {
    return outputs;
  }

  /** The {@code infer} body of request {@code k}: the unsplit model's name, its inputs and answers in base64. */
  byte[] requestBody(int k, String correlationId) {
    Row row = row(k);
    ObjectNode body = JSON.createObjectNode();
    body.put("model", modelName).put("correlationId", correlationId).put("outputEncoding", "base64");
    ObjectNode inputs = body.putObject("inputs");
    for (Map.Entry<String, float[]> e : row.inputs().entrySet()) {
      ByteBuffer bytes = ByteBuffer.allocate(e.getValue().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(e.getValue());
      ObjectNode tensor = inputs.putObject(e.getKey()).put("type", "float32");
      Arrays.stream(row.shapes().get(e.getKey())).forEach(tensor.putArray("shape")::add);
      tensor.put("base64", Base64.getEncoder().encodeToString(bytes.array()));
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request as JSON", e);
    }
  }
}
