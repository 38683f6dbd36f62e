package io.edgeai4j.modelupdate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.modelpackage.InvalidPackageException;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.OnnxGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a version directory before it serves: {@code model.onnx} parses, its inputs are the ones
 * {@code model.json} declares (names, types, shapes), and those are the inputs of the version serving now, which
 * the deployed pipeline feeds. Stateless.
 */
public final class InputCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputCheck() {}

  /** One declared input. */
  record Input(String type, long[] shape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Input i && type.equals(i.type) && Arrays.equals(shape, i.shape);
    }

    @Override
    public int hashCode() {
      return type.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return type + (shape == null ? "[?]" : Arrays.toString(shape));
    }
  }

  /**
   * Checks {@code candidate} against itself and the version serving.
   *
   * @param candidate The new version's directory.
   * @param serving The serving version's directory, when there is one.
   * @throws UpdateFailure Naming the input, or the file, that does not match.
   */
  public static void check(Path candidate, Optional<Path> serving) throws UpdateFailure {
    Map<String, Input> declared = declaredInputs(candidate.resolve(ModelPackage.DESCRIPTOR), "model.json");
    Map<String, Input> graph = new LinkedHashMap<>();
    try {
      for (OnnxGraphs.Io io : OnnxGraphs.inputs(candidate.resolve(ModelPackage.MODEL))) {
        graph.put(io.name(), new Input(io.elementType(), io.shape()));
      }
    } catch (InvalidPackageException e) {
      throw new UpdateFailure("package: " + e.getMessage(), e);
    }
    for (Map.Entry<String, Input> e : declared.entrySet()) {
      Input inGraph = graph.get(e.getKey());
      if (inGraph == null) {
        throw new UpdateFailure("inputs: model.json declares input '" + e.getKey() + "', model.onnx has "
            + graph.keySet());
      }
      Input inJson = e.getValue();
      if (!inGraph.type().equals(inJson.type())
          || inGraph.shape() != null && inJson.shape() != null && !Arrays.equals(inGraph.shape(), inJson.shape())) {
        throw new UpdateFailure("inputs." + e.getKey() + ": model.json says " + inJson + ", model.onnx has "
            + inGraph);
      }
    }
    for (String name : graph.keySet()) {
      if (!declared.containsKey(name)) {
        throw new UpdateFailure("inputs: model.onnx has input '" + name + "' that model.json does not declare ("
            + declared.keySet() + ")");
      }
    }
    if (serving.isPresent() && Files.isRegularFile(serving.get().resolve(ModelPackage.DESCRIPTOR))) {
      Path servingDir = serving.get();
      Map<String, Input> served = declaredInputs(servingDir.resolve(ModelPackage.DESCRIPTOR),
          "the serving version's model.json");
      for (Map.Entry<String, Input> e : served.entrySet()) {
        Input now = declared.get(e.getKey());
        if (now == null) {
          throw new UpdateFailure("inputs." + e.getKey() + ": the serving version " + servingDir.getFileName()
              + " takes it, the new version does not (it takes " + declared.keySet() + ")");
        }
        if (!now.equals(e.getValue())) {
          throw new UpdateFailure("inputs." + e.getKey() + ": the new version takes " + now
              + ", the serving version " + servingDir.getFileName() + " takes " + e.getValue());
        }
      }
      for (String name : declared.keySet()) {
        if (!served.containsKey(name)) {
          throw new UpdateFailure("inputs." + name + ": the new version takes it, the serving version "
              + servingDir.getFileName() + " does not (it takes " + served.keySet() + ")");
        }
      }
    }
  }

  private static Map<String, Input> declaredInputs(Path modelJson, String what) throws UpdateFailure {
    JsonNode root;
    try {
      root = JSON.readTree(modelJson.toFile());
    } catch (IOException e) {
      throw new UpdateFailure(what + ": not JSON: " + e.getMessage(), e);
    }
    JsonNode inputs = root == null ? null : root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new UpdateFailure(what + ".inputs: expected an array of {name, type, shape}, found " + inputs);
    }
    Map<String, Input> result = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode input = inputs.get(i);
      JsonNode name = input.get("name");
      JsonNode type = input.get("type");
      if (name == null || !name.isTextual() || type == null || !type.isTextual()) {
        throw new UpdateFailure(what + ".inputs[" + i + "]: expected text name and type, found " + input);
      }
      JsonNode shape = input.get("shape");
      long[] dims = null;
      if (shape != null && shape.isArray()) {
        dims = new long[shape.size()];
        for (int d = 0; d < dims.length; d++) {
          dims[d] = shape.get(d).asLong();
        }
      }
      result.put(name.asText(), new Input(type.asText(), dims));
    }
    return result;
  }
}
