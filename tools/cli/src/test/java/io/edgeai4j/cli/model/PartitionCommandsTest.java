package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.deployment.ManifestValidator;
import io.edgeai4j.deployment.ModuleDescriptors;
import io.edgeai4j.deployment.ValidationReport;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code edge model profile} and {@code edge model plan} end to end, in-process: a 1-D CNN (2 Conv+Relu, ReduceMean,
 * MatMul, Add: 7 unnamed nodes in a chain) profiled here twice, the device's copy made 100× slower (its times × 100).
 */
class PartitionCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 7;

  @TempDir static Path dir;
  static Path model;
  static Path device;
  static Path edge;

  @BeforeAll
  static void profileTwice() throws Exception {
    model = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 256, 16, 2, 3, 4, 7);
    double[] values = new double[3 * 256];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    Path data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(new DataTensor("x", 1, new long[] {3, 1, 256}, values)), Optional.empty(),
        3);
    edge = dir.resolve("profiles/edge.json");
    CliRun run = CliRun.of("model", "profile", model.toString(), "--data", data.toString(), "--runs", "5", "--out",
        edge.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("nodes:    7").contains("wrote " + edge).contains("ONNX Runtime 1.");
    JsonNode profile = JSON.readTree(edge.toFile());
    for (JsonNode node : profile.get("nodes")) {
      ((ObjectNode) node).put("meanMicros", node.get("meanMicros").asDouble() * 100)
          .put("p50Micros", node.get("p50Micros").asDouble() * 100);
    }
    device = dir.resolve("profiles/device.json");
    JSON.writeValue(device.toFile(), profile);
  }

  @Test
  void theProfileHasOneEntryPerNodeAndEveryTensorsSize() throws Exception {
    JsonNode profile = JSON.readTree(edge.toFile());
    assertThat(profile.get("nodes")).hasSize(NODES);
    assertThat(profile.get("nodes").get(0).get("name").asText()).isEqualTo("Conv_0");
    assertThat(profile.get("nodes").get(0).get("samples").asInt()).isEqualTo(5);
    assertThat(profile.get("tensors").get("x").get("bytes").asLong()).isEqualTo(4 * 256);
    assertThat(profile.get("tensors").get("conv0").get("bytes").asLong()).isEqualTo(4 * 16 * 256);
    assertThat(profile.get("tensors").get("pooled").get("shape")).hasSize(2);
    assertThat(profile.get("machine").get("cores").asInt()).isPositive();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"10kbit/200ms, xw", "1Gbit/1ms, all on edge"})
  void thePlanTableShowsEveryCutAndMarksTheChosenOne(String link, String chosen) {
    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--link", "device-edge=" + link);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cut (device-edge)").contains("device ms").contains("transfer ms")
        .contains("chain of 7 nodes, 8 candidates")
        .containsPattern("chosen: +#\\d+ " + chosen)
        .containsPattern("\\* +\\d+ +" + chosen)
        .contains("over all on device").contains("over all on edge")
        .contains("act0").contains("pooled");
  }

  @Test
  void jsonGivesTheSameCandidates() throws Exception {
    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "edge=" + edge, "--profile",
        "device=" + device, "--link", "device-edge=10Mbit/20ms", "--activations", "float16", "--objective",
        "throughput", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode plan = JSON.readTree(run.out());
    assertThat(plan.get("tiers")).extracting(JsonNode::asText).containsExactly("device", "edge");
    assertThat(plan.get("candidates")).hasSize(NODES + 1);
    assertThat(plan.get("activations").asText()).isEqualTo("float16");
    assertThat(plan.get("objective").asText()).isEqualTo("throughput");
    int chosen = plan.get("chosen").asInt();
    assertThat(plan.get("best")).isEqualTo(plan.get("candidates").get(chosen));
    double best = plan.get("best").get("requestsPerSecond").asDouble();
    for (JsonNode c : plan.get("candidates")) {
      assertThat(c.get("requestsPerSecond").asDouble()).isLessThanOrEqualTo(best);
    }
    assertThat(plan.get("gains").has("device")).isTrue();
    JsonNode cutAtAct0 = plan.get("candidates").get(NODES - 2);
    assertThat(cutAtAct0.get("cuts").get(0)).extracting(JsonNode::asText).containsExactly("act0");
    assertThat(cutAtAct0.get("linkBytes").get(0).asLong()).as("float16 activations + one chunk header")
        .isEqualTo(2 * 16 * 256 + 512);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown tier | fog | device-edge=1Mbit/5ms | unknown tier 'fog'; expected [device, edge, cloud]",
      "missing link | edge | edge-cloud=1Mbit/5ms | --link edge-cloud=...: no such link between the tiers [device, edge]",
      "bad link     | edge | device-edge=fast     | --link device-edge: link 'fast': expected BANDWIDTH/LATENCY",
  })
  void badArgumentsAreRefusedClearly(String name, String tier, String link, String message) {
    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        tier + "=" + edge, "--link", link);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains(message);
  }

  @Test
  void aProfileOfAnotherModelIsRefused() throws Exception {
    Path other = OnnxTestModels.conv1d(dir.resolve("other.onnx"), 256, 16, 2, 3, 4, 8);

    CliRun run = CliRun.of("model", "plan", other.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--link", "device-edge=1Mbit/5ms");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("profile of tier device is of another model: conv.onnx sha256");
  }

  @Test
  void aMissingLinkIsNamed() {
    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--profile", "cloud=" + edge, "--link", "device-edge=1Mbit/5ms");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("--link edge-cloud=BANDWIDTH/LATENCY missing");
  }

  @Test
  void manifestWritesEachTiersPartModelJsonAndAValidManifest() throws Exception {
    Path out = dir.resolve("deployment");
    Path original = dir.resolve("conv-model.json");
    Files.writeString(original, "{\"name\": \"vibration-cnn\", \"labels\": {\"output\": \"y\", \"classes\":"
        + " [\"a\", \"b\", \"c\", \"d\"]}, \"windowInput\": {\"input\": \"x\", \"length\": 256}}");

    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--link", "device-edge=10kbit/200ms", "--activations", "float16", "--manifest",
        out.toString(), "--model-json", original.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote " + out.resolve("device.json")).contains("wrote " + out.resolve("edge.json"));
    Path part0 = out.resolve("device/vibration-cnn-part-0/1");
    Path part1 = out.resolve("edge/vibration-cnn-part-1/1");
    JsonNode json0 = JSON.readTree(part0.resolve("model.json").toFile());
    JsonNode json1 = JSON.readTree(part1.resolve("model.json").toFile());
    assertThat(json0.get("name").asText()).isEqualTo("vibration-cnn-part-0");
    assertThat(json0.get("partition")).isEqualTo(JSON.readTree("{\"model\": \"vibration-cnn\", \"part\": 0,"
        + " \"parts\": 2, \"next\": \"vibration-cnn-part-1\", \"activationEncoding\": \"float16\"}"));
    assertThat(json0.get("windowInput").get("length").asInt()).isEqualTo(256);
    assertThat(json0.has("labels")).isFalse();
    assertThat(json0.get("inputs").get(0).get("name").asText()).isEqualTo("x");
    assertThat(json0.get("outputs").get(0).get("name").asText()).isEqualTo("xw");
    assertThat(json1.get("partition").has("next")).isFalse();
    assertThat(json1.get("labels").get("classes")).hasSize(4);
    assertThat(json1.get("inputs").get(0).get("name").asText()).isEqualTo("xw");
    assertThat(json1.get("inputs").get(0).get("type").asText()).isEqualTo("float32");
    assertThat(json1.has("windowInput")).isFalse();

    float[] input = new float[256];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.sin(i / 7.0);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 1, 256});
        OrtSession whole = env.createSession(model.toString());
        OrtSession first = env.createSession(part0.resolve("model.onnx").toString());
        OrtSession second = env.createSession(part1.resolve("model.onnx").toString());
        OrtSession.Result expected = whole.run(Map.of("x", x));
        OrtSession.Result middle = first.run(Map.of("x", x));
        OrtSession.Result actual = second.run(Map.of("xw", (OnnxTensor) middle.get("xw").orElseThrow()))) {
      assertThat((float[][]) actual.get("y").orElseThrow().getValue())
          .isDeepEqualTo((float[][]) expected.get("y").orElseThrow().getValue());
    }

    ModuleDescriptors modules = inferenceDescriptor();
    for (String tier : List.of("device", "edge")) {
      JsonNode manifest = JSON.readTree(out.resolve(tier + ".json").toFile());
      ValidationReport report = new ManifestValidator(modules).validate(manifest);
      assertThat(report.errors()).as(tier + ".json").isEmpty();
      assertThat(manifest.at("/modulesContent/inference/properties.desired/repository").asText())
          .isEqualTo(out.resolve(tier).toString());
      assertThat(manifest.at("/modulesContent/$edgeAgent/properties.desired/modules/inference/settings/image")
          .asText()).isEqualTo("edgeai4j/inference:0.1.0-amd64");
    }
    JsonNode deviceRoutes = JSON.readTree(out.resolve("device.json").toFile())
        .at("/modulesContent/$edgeHub/properties.desired/routes");
    JsonNode edgeRoutes = JSON.readTree(out.resolve("edge.json").toFile())
        .at("/modulesContent/$edgeHub/properties.desired/routes");
    assertThat(deviceRoutes.get("activationsUpstream").get("route").asText())
        .isEqualTo("FROM /messages/modules/inference/outputs/activations INTO $upstream");
    assertThat(edgeRoutes.get("activationsFromDevice").get("route").asText()).isEqualTo("FROM /messages/* WHERE"
        + " $connectionDeviceId = 'device' INTO BrokeredEndpoint(\"/modules/inference/inputs/activations\")");
    assertThat(edgeRoutes.get("resultsUpstream").get("route").asText())
        .isEqualTo("FROM /messages/modules/inference/outputs/results INTO $upstream");
    assertThat(JSON.readTree(out.resolve("plan.json").toFile()).get("best").get("label").asText()).isEqualTo("xw");
  }

  /*
   * Three tiers: the device 100× slower than the edge, the cloud (the edge profile with its times / 100) faster still;
   * a slow device-edge link and a fast edge-cloud link: the device runs the layers up to the small output of the
   * MatMul, the edge nothing, the cloud the rest; the edge relays the device's activations.
   */
  @Test
  void threeTiersWriteThreeManifestsAndTheEdgeRelaysWhenItRunsNoPart() throws Exception {
    JsonNode profile = JSON.readTree(edge.toFile());
    for (JsonNode node : profile.get("nodes")) {
      ((ObjectNode) node).put("meanMicros", node.get("meanMicros").asDouble() / 100)
          .put("p50Micros", node.get("p50Micros").asDouble() / 100);
    }
    Path cloud = dir.resolve("profiles/cloud.json");
    JSON.writeValue(cloud.toFile(), profile);
    Path out = dir.resolve("three");

    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--profile", "cloud=" + cloud, "--link", "device-edge=10kbit/200ms", "--link",
        "edge-cloud=1Gbit/1ms", "--manifest", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cut (device-edge | edge-cloud)").contains("36 candidates")
        .containsPattern("chosen: +#\\d+ xw \\| xw:").contains("over all on cloud");
    assertThat(out.resolve("device/conv-part-0/1/model.onnx")).exists();
    assertThat(out.resolve("cloud/conv-part-1/1/model.onnx")).exists();
    JsonNode edgeManifest = JSON.readTree(out.resolve("edge.json").toFile());
    assertThat(edgeManifest.at("/modulesContent/$edgeHub/properties.desired/routes/relayFromDevice/route").asText())
        .isEqualTo("FROM /messages/* WHERE $connectionDeviceId = 'device' INTO $upstream");
    assertThat(edgeManifest.at("/modulesContent/$edgeAgent/properties.desired/modules").isEmpty()).isTrue();
    JsonNode cloudRoutes = JSON.readTree(out.resolve("cloud.json").toFile())
        .at("/modulesContent/$edgeHub/properties.desired/routes");
    assertThat(cloudRoutes.get("activationsFromEdge").get("route").asText()).contains("$connectionDeviceId = 'edge'");
    ModuleDescriptors modules = inferenceDescriptor();
    for (String tier : List.of("device", "edge", "cloud")) {
      assertThat(new ManifestValidator(modules).validate(JSON.readTree(out.resolve(tier + ".json").toFile()))
          .errors()).as(tier).isEmpty();
    }
  }

  @Test
  void manifestRefusesADirectoryThatIsNotEmpty() throws Exception {
    Path out = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(out.resolve("keep.txt"), "mine");

    CliRun run = CliRun.of("model", "plan", model.toString(), "--profile", "device=" + device, "--profile",
        "edge=" + edge, "--link", "device-edge=10kbit/200ms", "--manifest", out.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err()).contains("is not empty (holds keep.txt)");
    assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
  }

  /**
   * The inference module's real module.json, with the activations input and output (issue 17's inference module
   * declares them) added where it does not declare them yet.
   */
  private static ModuleDescriptors inferenceDescriptor() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("modules/inference"));
    ObjectNode descriptor = (ObjectNode) JSON.readTree(Path.of("../../modules/inference/module.json").toFile());
    for (String list : List.of("inputs", "outputs")) {
      ArrayNode names = (ArrayNode) descriptor.get("edgeai4j").get(list);
      boolean declared = false;
      for (JsonNode n : names) {
        declared |= n.asText().equals("activations");
      }
      if (!declared) {
        names.add("activations");
      }
    }
    JSON.writeValue(folder.resolve("module.json").toFile(), descriptor);
    return ModuleDescriptors.load(dir.resolve("modules"));
  }
}
