package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code edge model profile} and {@code edge model plan} end to end, in-process: a 1-D CNN (2 Conv+Relu, ReduceMean,
 * MatMul, Add: 7 unnamed nodes in a chain) profiled here twice, the device's copy made 100× slower.
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
      ((ObjectNode) node).put("meanMicros", node.get("meanMicros").asDouble() * 100);
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
}
