package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code edge model plan --measure}: a 1-D CNN (2 Conv+Relu of 2 channels, ReduceMean, MatMul, Add: a chain of 7
 * nodes, 8 candidates) over a 2048-sample window (8 KB of float32 in, 16 B out), profiled here with 1 thread (the
 * device) and 2 (the edge), each candidate deployed, run through the device hierarchy over an emulated link and
 * measured.
 */
class PlanMeasureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CANDIDATES = 8;

  @TempDir static Path dir;
  static Path model;
  static Path data;
  static Path device;
  static Path edge;

  @BeforeAll
  static void profile() throws Exception {
    model = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 2048, 2, 2, 3, 4, 7);
    double[] values = new double[4 * 2048];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(new DataTensor("x", 1, new long[] {4, 1, 2048}, values)), Optional.empty(),
        2);
    device = dir.resolve("device.json");
    edge = dir.resolve("edge.json");
    for (String[] tier : List.of(new String[] {"1", device.toString()}, new String[] {"2", edge.toString()})) {
      CliRun run = CliRun.of("model", "profile", model.toString(), "--data", data.toString(), "--runs", "5",
          "--threads", tier[0], "--out", tier[1]);
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
  }

  private static String[] plan(String link, String... more) {
    List<String> args = new ArrayList<>(List.of("model", "plan", model.toString(), "--profile", "device=" + device,
        "--profile", "edge=" + edge, "--link", "device-edge=" + link));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"100Mbit/1ms, latency", "100Mbit/1ms, throughput"})
  void everyCandidateIsMeasuredThroughTheHierarchyAndAnswersAsTheUnsplitModel(String link, String objective)
      throws Exception {
    measureAndCheck(link, objective);
  }

  /*
   * At 1 Mbit/s the raw window (8 KB of float32, 11 KB as the base64 of the infer request: about 90 ms on the wire)
   * costs far more than the 16-byte answer: running all on the device must be predicted and measured faster than
   * sending the window to the edge, every request of the one faster than every request of the other.
   */
  @Test
  void atASlowLinkTheMeasuredOrderOfDeviceOnlyAndEdgeOnlyIsThePredictedOne() throws Exception {
    JsonNode report = measureAndCheck("1Mbit/20ms", "latency");

    JsonNode deviceOnly = candidate(report, "all on device");
    JsonNode edgeOnly = candidate(report, "all on edge");
    assertThat(deviceOnly.get("predictedMs").asDouble()).isLessThan(edgeOnly.get("predictedMs").asDouble() - 40);
    assertThat(deviceOnly.at("/measured/maxMs").asDouble()).isLessThan(edgeOnly.at("/measured/minMs").asDouble());
  }

  /** Runs plan --measure 3 --warmup 1 with --measure-json and --plot; checks what every run must show. */
  private static JsonNode measureAndCheck(String link, String objective) throws Exception {
    String stem = "measure-" + link.replace('/', '-') + "-" + objective;
    Path json = dir.resolve(stem + ".json");
    Path png = dir.resolve(stem + ".png");

    CliRun run = CliRun.of(plan(link, "--objective", objective, "--measure", "3", "--warmup", "1", "--data",
        data.toString(), "--measure-json", json.toString(), "--plot", png.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("predicted ms").contains("measured ms (95% CI)")
        .contains("every one equal to the unsplit model's outputs (float32 activations: bit for bit)")
        .containsPattern("predicted: #\\d+ ").containsPattern("measured: +#\\d+ ")
        .contains("over all on device").contains("over all on edge")
        .contains("threads device 1, edge 2").contains("wrote " + png);
    if (objective.equals("throughput")) {
      assertThat(run.out()).contains("predicted req/s").contains("measured req/s").contains("(back to back)");
    } else {
      assertThat(run.out()).contains("(one at a time), after 1 warm-up in each of two passes (plan order, then"
          + " reverse)");
    }
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.get("candidates")).hasSize(CANDIDATES);
    for (JsonNode c : report.get("candidates")) {
      assertThat(c.at("/measured/count").asInt()).as(c.get("label").asText()).isEqualTo(3);
      assertThat(c.at("/measured/minMs").asDouble()).as(c.get("label").asText() + ": crosses the link once")
          .isGreaterThan(report.at("/links/0/latencyMs").asDouble());
      assertThat(c.get("answersExact").asBoolean()).isTrue();
      assertThat(c.at("/measured/requestsPerSecond").asDouble()).isPositive();
    }
    assertThat(report.get("threads").toString()).isEqualTo("{\"device\":1,\"edge\":2}");
    byte[] header = Arrays.copyOf(Files.readAllBytes(png), 4);
    assertThat(header).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    return report;
  }

  private static JsonNode candidate(JsonNode report, String label) {
    for (JsonNode c : report.get("candidates")) {
      if (c.get("label").asText().equals(label)) {
        return c;
      }
    }
    throw new AssertionError("no candidate '" + label + "' in " + report);
  }

  @Test
  void manifestGivesEachTiersInferenceModuleTheThreadsOfItsProfile() throws Exception {
    Path out = dir.resolve("deployment");

    CliRun run = CliRun.of(plan("100Mbit/1ms", "--manifest", out.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    int modules = 0;
    for (String[] tier : List.of(new String[] {"device", "1"}, new String[] {"edge", "2"})) {
      Path manifest = out.resolve(tier[0] + ".json");
      JsonNode inference = Files.exists(manifest) ? JSON.readTree(manifest.toFile())
          .at("/modulesContent/inference/properties.desired") : JSON.missingNode();
      if (!inference.isMissingNode()) {
        modules++;
        assertThat(inference.at("/backendOptions/intraOpThreads").asInt()).as(tier[0])
            .isEqualTo(Integer.parseInt(tier[1]));
      }
    }
    assertThat(modules).as("tiers running a part").isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no requests      | 2 | --measure,0,--data,DATA | --measure 0: expected a number of requests from 1 to 100000",
      "no data          | 2 | --measure,3 | --measure 3 needs --data DIR",
      "data alone       | 2 | --data,DATA | --data is for --measure N; give --measure too",
      "plot alone       | 2 | --plot,p.png | --plot is for --measure N; give --measure too",
      "plot not png     | 2 | --measure,3,--data,DATA,--plot,p.svg | --plot p.svg: expected a .png file",
      "negative warm-up | 2 | --measure,3,--warmup,-1,--data,DATA | --warmup -1: expected a number of requests",
      "not a number     | 2 | --measure,many,--data,DATA | Invalid value for option '--measure': 'many' is not an int",
      "missing data     | 66 | --measure,3,--data,MISSING | --data MISSING: no such directory",
  })
  void badMeasureArgumentsAreRefused(String name, int exitCode, String options, String message) {
    String missing = dir.resolve("nowhere").toString();
    String[] more = Arrays.stream(options.split(",")).map(o -> o.replace("DATA", data.toString())
        .replace("MISSING", missing)).toArray(String[]::new);

    CliRun run = CliRun.of(plan("1Mbit/20ms", more));

    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message.replace("MISSING", missing));
  }
}
