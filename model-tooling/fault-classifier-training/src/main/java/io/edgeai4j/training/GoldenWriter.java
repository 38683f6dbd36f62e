package io.edgeai4j.training;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code golden.json} of an exported version: a few held-out feature rows (the first window of each
 * {@link FaultClass} in the given rows) with the probabilities the written {@code model.onnx} gives for them, run
 * by ONNX Runtime, in the format the model server's golden check reads ({@code docs/model-updates.md}). The model
 * server runs these samples on every load of the version (and warms up with them), so a model file that does not
 * give these outputs never serves. Stateless; thread-safe.
 */
public final class GoldenWriter {
  /** The file's name in a version directory. */
  public static final String FILE_NAME = "golden.json";
  /** How far an output may be from the one written (probabilities: ONNX Runtime builds may differ in the last bits). */
  public static final double ABSOLUTE_TOLERANCE = 1e-5;
  /** The relative part of the tolerance. */
  public static final double RELATIVE_TOLERANCE = 1e-3;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GoldenWriter() {}

  /** The golden rows: the first window of each class in {@code heldOut}, in {@link FaultClass} order. */
  public static List<double[]> rows(List<LabelledWindow> heldOut) {
    List<double[]> rows = new ArrayList<>();
    for (FaultClass c : FaultClass.values()) {
      heldOut.stream().filter(w -> w.label() == c).findFirst().ifPresent(w -> rows.add(w.features()));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no held-out rows to write golden samples from");
    }
    return rows;
  }

  /**
   * Runs {@code rows} through {@code versionDirectory}'s {@code model.onnx} and writes {@value #FILE_NAME} beside
   * it (one sample of shape {@code [1, 10]} per row), replacing what is there.
   *
   * @throws IOException If the file cannot be written, or ONNX Runtime cannot load or run the model.
   */
  public static Path write(Path versionDirectory, List<double[]> rows) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode tolerance = root.putObject("tolerance");
    tolerance.put("absolute", ABSOLUTE_TOLERANCE);
    tolerance.put("relative", RELATIVE_TOLERANCE);
    ArrayNode samples = root.putArray("samples");
    try (OnnxClassifier model = new OnnxClassifier(versionDirectory.resolve("model.onnx"))) {
      for (double[] row : rows) {
        float[] probabilities = model.probabilities(List.of(row))[0];
        ObjectNode sample = samples.addObject();
        ArrayNode input = tensor(sample.putObject("inputs"), ModelExporter.INPUT, row.length);
        for (double v : row) {
          input.add((float) v);
        }
        ArrayNode output = tensor(sample.putObject("outputs"), ModelExporter.OUTPUT, probabilities.length);
        for (float p : probabilities) {
          output.add(p);
        }
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime cannot run " + versionDirectory.resolve("model.onnx") + " for its golden"
          + " samples: " + e.getMessage(), e);
    }
    Path file = versionDirectory.resolve(FILE_NAME);
    Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    return file;
  }

  /** Adds a float32 tensor of shape {@code [1, width]} named {@code name}; returns its {@code data} array. */
  private static ArrayNode tensor(ObjectNode tensors, String name, int width) {
    ObjectNode tensor = tensors.putObject(name);
    tensor.put("type", "float32");
    tensor.putArray("shape").add(1).add(width);
    return tensor.putArray("data");
  }
}
