package io.edgeai4j.training;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.ElementType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a {@link TrainedClassifier} as a model-repository version: {@code model.onnx} and {@code model.json}.
 *
 * <p>The ONNX graph takes the raw feature rows of {@code features} messages (input {@value #INPUT}, float32
 * {@code [-1, 10]}) and applies the whole transform itself: {@link LogCompression}, the standardisation, Tribuo's
 * linear model and softmax, then reorders the columns to {@link FaultClass} order (output {@value #OUTPUT}, float32
 * {@code [-1, 5]}, {@code normal} first). So {@code model.json} says mean 0 and scale 1. The names and shapes
 * written to {@code model.json} are read back from the saved file with ONNX Runtime. Stateless; thread-safe.
 */
public final class ModelExporter {
  /** The model's name in the repository. */
  public static final String MODEL_NAME = "fault-classifier";
  /** The input tensor's name. */
  public static final String INPUT = "features";
  /** The output tensor's name. */
  public static final String OUTPUT = "probabilities";
  /** The ONNX model's domain. */
  public static final String DOMAIN = "io.edgeai4j.training";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelExporter() {}

  /**
   * Writes {@code model.onnx} and {@code model.json} into {@code versionDirectory} (created if missing), replacing
   * what is there.
   *
   * @param version The model version, the name of {@code versionDirectory} in a repository.
   * @throws IOException If a file cannot be written, or ONNX Runtime cannot load the written model.
   */
  public static void export(TrainedClassifier classifier, long version, Path versionDirectory) throws IOException {
    Files.createDirectories(versionDirectory);
    Path onnx = versionDirectory.resolve("model.onnx");
    Files.write(onnx, onnxModel(classifier, version).toByteArray());
    Files.writeString(versionDirectory.resolve("model.json"), JSON.writeValueAsString(modelJson(onnx)) + "\n");
  }

  /** The ONNX model of {@code classifier}. */
  public static ai.onnx.proto.OnnxMl.ModelProto onnxModel(TrainedClassifier classifier, long version) {
    int columns = FeatureVector.FIELDS.size();
    ONNXContext context = new ONNXContext();
    context.setName("fault-classifier");
    ONNXPlaceholder input = context.floatInput(INPUT, columns);
    ONNXPlaceholder output = context.floatOutput(OUTPUT, FaultClass.values().length);
    float[] logged = new float[columns];
    float[] shift = new float[columns];
    float[] linear = new float[columns];
    for (int i = 0; i < columns; i++) {
      boolean log = LogCompression.logged(i);
      logged[i] = log ? 1 : 0;
      linear[i] = log ? 0 : 1;
      // Linear columns get ln(0 * x + 1) = 0 from the log branch, so no NaN reaches the sum.
      shift[i] = log ? (float) LogCompression.offset(i) : 1;
    }
    ONNXInitializer loggedMask = context.array("log_mask", logged);
    ONNXInitializer linearMask = context.array("linear_mask", linear);
    ONNXNode logBranch = input.apply(ONNXOperators.MUL, loggedMask)
        .apply(ONNXOperators.ADD, context.array("log_offset", shift))
        .apply(OnnxLog.LOG)
        .apply(ONNXOperators.MUL, loggedMask);
    ONNXNode compressed = logBranch.apply(ONNXOperators.ADD, input.apply(ONNXOperators.MUL, linearMask));
    Standardisation s = classifier.standardisation();
    ONNXNode standardised = compressed.apply(ONNXOperators.SUB, context.array("feature_mean", toFloats(s.mean())))
        .apply(ONNXOperators.DIV, context.array("feature_scale", toFloats(s.scale())));
    ONNXNode tribuoOutput = classifier.model().writeONNXGraph(standardised);
    long[] order = new long[FaultClass.values().length];
    for (FaultClass c : FaultClass.values()) {
      int id = classifier.model().getOutputIDInfo().getID(new Label(c.label()));
      if (id < 0) {
        throw new IllegalStateException("the model has no output for class '" + c.label() + "'; its classes are "
            + classifier.model().getOutputIDInfo().getDomain());
      }
      order[c.ordinal()] = id;
    }
    ONNXRef<?> reordered = tribuoOutput.apply(ONNXOperators.GATHER, context.array("class_order", order),
        Map.of("axis", 1));
    reordered.assignTo(output);
    return ONNXExportable.buildModel(context, DOMAIN, version, classifier.model());
  }

  /** The {@code model.json} of the saved {@code model.onnx}, with its input and output read back by ONNX Runtime. */
  static ObjectNode modelJson(Path onnx) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", MODEL_NAME);
    json.put("description", "Fault class of one vibration window (2048 samples at 5 kHz, 4 bands) from its "
        + "sensor-ingestion features; trained on simulated machines by model-tooling/fault-classifier-training");
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx.toString())) {
      json.set("inputs", describe(session.getInputInfo()));
      json.set("outputs", describe(session.getOutputInfo()));
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime cannot load the exported model " + onnx + ": " + e.getMessage(), e);
    }
    ObjectNode labels = json.putObject("labels");
    labels.put("output", OUTPUT);
    ArrayNode classes = labels.putArray("classes");
    FaultClass.labels().forEach(classes::add);
    ObjectNode featureInput = json.putObject("featureInput");
    featureInput.put("input", INPUT);
    ArrayNode fields = featureInput.putArray("fields");
    FeatureVector.FIELDS.forEach(fields::add);
    ArrayNode mean = featureInput.putArray("mean");
    ArrayNode scale = featureInput.putArray("scale");
    for (int i = 0; i < FeatureVector.FIELDS.size(); i++) {
      mean.add(0.0);
      scale.add(1.0);
    }
    ObjectNode batching = json.putObject("batching");
    batching.put("maxBatchSize", 32);
    batching.put("maxQueueDelayMicros", 500);
    batching.put("maxQueueSize", 256);
    batching.put("requestTimeoutMillis", 2000);
    batching.put("instances", 1);
    json.putObject("warmup").put("runs", 3);
    return json;
  }

  private static ArrayNode describe(Map<String, NodeInfo> nodes) {
    ArrayNode array = JSON.createArrayNode();
    for (NodeInfo node : nodes.values()) {
      if (!(node.getInfo() instanceof TensorInfo tensor)) {
        throw new IllegalStateException("expected tensors, found " + node.getName() + ": " + node.getInfo());
      }
      if (tensor.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
        throw new IllegalStateException("expected float32 tensors, found " + node.getName() + ": " + tensor);
      }
      ObjectNode entry = array.addObject();
      entry.put("name", node.getName());
      entry.put("type", ElementType.FLOAT32.spelling());
      ArrayNode shape = entry.putArray("shape");
      for (long d : tensor.getShape()) {
        shape.add(d);
      }
    }
    return array;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
