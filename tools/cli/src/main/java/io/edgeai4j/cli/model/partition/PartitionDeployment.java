package io.edgeai4j.cli.model.partition;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.partition.Candidate;
import io.edgeai4j.optimize.partition.Plan;
import io.edgeai4j.optimize.split.HorizontalSplit;
import io.edgeai4j.optimize.split.ModelPart;
import io.edgeai4j.optimize.split.ModelSplit;
import io.edgeai4j.optimize.split.SplitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the deployment of a plan ({@code edge model plan --manifest DIR}): the model split at the chosen cuts
 * ({@link HorizontalSplit}), one part per tier that runs nodes; per tier a model repository {@code DIR/<tier>/} with
 * {@code <model>-part-<i>/1/model.onnx} and its {@code model.json} (the part's inputs and outputs, the
 * {@code partition} block, the unsplit model's {@code labels} on the last part and its {@code windowInput} or
 * {@code featureInput} on part 0), and one deployment manifest per tier {@code DIR/<tier>.json}: edgeAgent and
 * edgeHub 1.6, an {@code inference} module serving the tier's part, and the routes (a child tier's messages into
 * {@code inference/inputs/activations}, {@code activations} or {@code results} to {@code $upstream}; a tier that runs
 * no part relays its child's messages upstream). Each tier's inference module runs ONNX Runtime with the intra-op
 * thread count its profile was taken with ({@code backendOptions.intraOpThreads}). Stateless.
 */
public final class PartitionDeployment {
  /** The inference module's image in the manifests. */
  public static final String INFERENCE_IMAGE = "edgeai4j/inference:0.1.0-amd64";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was written: the manifests (none for a device that runs no part) and the part models. */
  public record Written(List<Path> manifests, List<Path> models) {}

  private PartitionDeployment() {}

  /**
   * Splits at the plan's chosen candidate and writes.
   *
   * @see #write(Path, Plan, Candidate, Map, OnnxMl.ModelProto, String, JsonNode)
   */
  public static Written write(Path dir, Plan plan, Map<String, Integer> threads, OnnxMl.ModelProto model,
      String modelName, JsonNode original) throws IOException, SplitException {
    return write(dir, plan, plan.best(), threads, model, modelName, original);
  }

  /**
   * Splits at one candidate of the plan and writes its deployment.
   *
   * @param candidate one of {@code plan.candidates()}
   * @param threads per tier name, the intra-op threads of its profile (written as
   *     {@code backendOptions.intraOpThreads}); a tier missing gets the module's default
   * @param modelName the unsplit model's name ({@code model.json}'s {@code name}, else the file's stem)
   * @param original the unsplit model's {@code model.json}, or null
   * @throws IOException naming the file at fault; {@code dir} must be empty or missing
   * @throws SplitException when the split refuses the chosen cut
   */
  public static Written write(Path dir, Plan plan, Candidate candidate, Map<String, Integer> threads,
      OnnxMl.ModelProto model, String modelName, JsonNode original) throws IOException, SplitException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        List<String> found = entries.map(p -> p.getFileName().toString()).sorted().limit(3).toList();
        if (!found.isEmpty()) {
          throw new IOException("--manifest " + dir + " is not empty (holds " + String.join(", ", found)
              + "); expected an empty or new directory");
        }
      }
    }
    Candidate best = candidate;
    int tierCount = plan.tiers().size();
    List<Integer> used = new ArrayList<>();
    for (int t = 0; t < tierCount; t++) {
      if (best.tierOfNode().contains(t)) {
        used.add(t);
      }
    }
    List<ModelPart> parts;
    if (used.size() == 1) {
      parts = List.of(new ModelPart("model.onnx", model, inputs(model), outputs(model), 0));
    } else {
      List<Set<String>> cuts = new ArrayList<>();
      for (int k = 0; k + 1 < used.size(); k++) {
        cuts.add(new LinkedHashSet<>(best.cuts().get(used.get(k))));
      }
      ModelSplit split = HorizontalSplit.split(model, cuts);
      parts = split.parts();
    }
    String encoding = plan.encoding().label();
    List<Path> models = new ArrayList<>();
    List<Path> manifests = new ArrayList<>();
    Files.createDirectories(dir);
    for (int i = 0; i < parts.size(); i++) {
      String tier = plan.tiers().get(used.get(i));
      String name = parts.size() == 1 ? modelName : partName(modelName, i);
      Path version = dir.resolve(tier).resolve(name).resolve("1");
      Path file = version.resolve("model.onnx");
      try {
        OnnxModelFile.writeChecked(parts.get(i).model(), file);
      } catch (ModelFileException e) {
        throw new IOException(e.getMessage(), e);
      }
      ObjectNode json = modelJson(name, parts.get(i).model(), original);
      if (parts.size() > 1) {
        ObjectNode partition = json.putObject("partition");
        partition.put("model", modelName).put("part", i).put("parts", parts.size());
        if (i + 1 < parts.size()) {
          partition.put("next", partName(modelName, i + 1));
        }
        partition.put("activationEncoding", encoding);
      }
      if (original != null && i == 0) {
        for (String block : List.of("windowInput", "featureInput")) {
          if (original.has(block)) {
            json.set(block, original.get(block));
          }
        }
      }
      if (original != null && i == parts.size() - 1 && original.has("labels")) {
        json.set("labels", original.get("labels"));
      }
      Files.writeString(version.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json)
          + "\n");
      models.add(file);
    }
    for (int t = 0; t < tierCount; t++) {
      String tier = plan.tiers().get(t);
      int part = used.indexOf(t);
      String child = t == 0 ? null : plan.tiers().get(t - 1);
      if (part < 0 && child == null) {
        continue;
      }
      String name = part < 0 ? null : parts.size() == 1 ? modelName : partName(modelName, part);
      boolean last = part == parts.size() - 1;
      boolean childSends = child != null && used.get(0) < t;
      Path manifest = dir.resolve(tier + ".json");
      Files.writeString(manifest, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          manifest(dir.resolve(tier).toString(), name, child, childSends, last, threads.get(tier))) + "\n");
      manifests.add(manifest);
    }
    return new Written(manifests, models);
  }

  static String partName(String model, int part) {
    return model + "-part-" + part;
  }

  private static List<String> inputs(OnnxMl.ModelProto model) {
    Set<String> constants = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> constants.add(t.getName()));
    return model.getGraph().getInputList().stream().map(OnnxMl.ValueInfoProto::getName)
        .filter(n -> !constants.contains(n)).toList();
  }

  private static List<String> outputs(OnnxMl.ModelProto model) {
    return model.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
  }

  /** A part's model.json: its name, and its inputs and outputs with type and shape (an open dimension -1). */
  static ObjectNode modelJson(String name, OnnxMl.ModelProto part, JsonNode original) {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", name);
    if (original != null && original.has("description")) {
      json.put("description", original.get("description").asText());
    }
    Set<String> constants = new HashSet<>();
    part.getGraph().getInitializerList().forEach(t -> constants.add(t.getName()));
    ArrayNode inputs = json.putArray("inputs");
    part.getGraph().getInputList().stream().filter(v -> !constants.contains(v.getName()))
        .forEach(v -> tensor(inputs.addObject(), v));
    ArrayNode outputs = json.putArray("outputs");
    part.getGraph().getOutputList().forEach(v -> tensor(outputs.addObject(), v));
    return json;
  }

  private static void tensor(ObjectNode node, OnnxMl.ValueInfoProto value) {
    OnnxMl.TypeProto.Tensor type = value.getType().getTensorType();
    node.put("name", value.getName()).put("type", typeName(type.getElemType()));
    ArrayNode shape = node.putArray("shape");
    for (OnnxMl.TensorShapeProto.Dimension d : type.getShape().getDimList()) {
      shape.add(d.hasDimValue() ? d.getDimValue() : -1);
    }
  }

  /** model.json's spelling of an ONNX element type. */
  static String typeName(int onnxType) {
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(onnxType);
    if (type == null) {
      return "undefined";
    }
    return switch (type) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  /** One tier's deployment manifest. */
  static ObjectNode manifest(String repository, String model, String child, boolean childSends, boolean last,
      Integer threads) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode content = root.putObject("modulesContent");
    ObjectNode agent = content.putObject("$edgeAgent").putObject("properties.desired");
    agent.put("schemaVersion", "1.1");
    ObjectNode runtime = agent.putObject("runtime");
    runtime.put("type", "docker");
    runtime.putObject("settings").put("minDockerVersion", "v1.25").put("loggingOptions", "")
        .putObject("registryCredentials");
    ObjectNode system = agent.putObject("systemModules");
    system.putObject("edgeAgent").put("type", "docker").putObject("settings")
        .put("image", "mcr.microsoft.com/azureiotedge-agent:1.6").put("createOptions", "{}");
    system.putObject("edgeHub").put("type", "docker").put("status", "running").put("restartPolicy", "always")
        .putObject("settings").put("image", "mcr.microsoft.com/azureiotedge-hub:1.6").put("createOptions", "{}");
    ObjectNode modules = agent.putObject("modules");
    if (model != null) {
      modules.putObject("inference").put("version", "1.0").put("type", "docker").put("status", "running")
          .put("restartPolicy", "always").put("startupOrder", 1).putObject("settings").put("image", INFERENCE_IMAGE)
          .put("createOptions", "{}");
    }
    ObjectNode hub = content.putObject("$edgeHub").putObject("properties.desired");
    hub.put("schemaVersion", "1.1");
    ObjectNode routes = hub.putObject("routes");
    if (child != null) {
      String from = "FROM /messages/* WHERE $connectionDeviceId = '" + child + "' INTO ";
      if (model != null && childSends) {
        route(routes, "activationsFrom" + capital(child), from
            + "BrokeredEndpoint(\"/modules/inference/inputs/activations\")", 1);
      } else if (model == null) {
        route(routes, "relayFrom" + capital(child), from + "$upstream", 1);
      }
    }
    if (model != null) {
      route(routes, last ? "resultsUpstream" : "activationsUpstream", "FROM /messages/modules/inference/outputs/"
          + (last ? "results" : "activations") + " INTO $upstream", last ? 4 : 1);
    }
    hub.putObject("storeAndForwardConfiguration").put("timeToLiveSecs", 7200);
    if (model != null) {
      ObjectNode twin = content.putObject("inference").putObject("properties.desired");
      twin.put("repository", repository);
      if (threads != null) {
        twin.putObject("backendOptions").put("intraOpThreads", threads);
      }
      twin.putObject("models").putObject(model).putObject("versionPolicy").put("latest", 1);
    }
    return root;
  }

  private static void route(ObjectNode routes, String name, String route, int priority) {
    routes.putObject(name).put("route", route).put("priority", priority).put("timeToLiveSecs", 3600);
  }

  private static String capital(String name) {
    return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }
}
