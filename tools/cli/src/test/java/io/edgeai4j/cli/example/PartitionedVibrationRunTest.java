package io.edgeai4j.cli.example;

import static io.edgeai4j.cli.example.PartitionedVibration.CLASSES;
import static io.edgeai4j.cli.example.PartitionedVibration.EXAMPLE;
import static io.edgeai4j.cli.example.PartitionedVibration.MODEL_VERSION;
import static io.edgeai4j.cli.example.PartitionedVibration.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.OwnDirectories;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.link.LinkOptions;
import io.edgeai4j.runtime.link.LinkSpec;
import io.edgeai4j.runtime.link.LinkStats;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.nested.DeviceHierarchy;
import io.edgeai4j.runtime.nested.DeviceLink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's two devices run together: {@code sensor.json} (sensor-ingestion's raw windows into part 0) as the
 * child of {@code node.json} (part 1) over an emulated link. Every window the simulator makes is answered once at the
 * top device's {@code $upstream}, as {@code vibration-cnn} with its labels, the simulator's ground-truth {@code label}
 * kept, and probabilities equal to the unsplit model's on the same window (float32 activations: exactly).
 *
 * <p>The run uses copies of the committed manifests changed only where a short test needs it: each simulator source
 * runs 6 s of simulated time at 4× ({@code speed}, {@code durationSeconds}, so the number of windows is known; the
 * sensors' {@code maxFutureMillis} raised since the simulated clock runs ahead), the pump's fault starts at 2 s, the
 * model repositories are absolute (the tests run in tools/cli), and the ingestion module gets its own directories.
 * Routes, modules, part models and the {@code windows} mapping are the committed ones.
 */
class PartitionedVibrationRunTest {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int WINDOW = 4096;
  private static final int HOP = 2048;
  private static final double MIN_CONFIDENCE = 0.6;

  @TempDir Path dir;
  private Path sensor;
  private Path node;
  /** Per sensor, its windows in order and the unsplit model's probabilities of each. */
  private final Map<String, List<PartitionedVibration.Window>> windows = new LinkedHashMap<>();
  private final Map<String, List<float[]>> expected = new LinkedHashMap<>();

  @BeforeEach
  void manifestsAndExpectedAnswers() throws Exception {
    ObjectNode child = (ObjectNode) JSON.readTree(EXAMPLE.resolve("sensor.json").toFile());
    ObjectNode ingestion = (ObjectNode) child.at("/modulesContent/ingestion/properties.desired");
    ingestion.get("sources").forEach(source -> {
      ((ObjectNode) source).put("speed", 4).put("durationSeconds", 6);
      source.path("faults").forEach(fault -> ((ObjectNode) fault).put("onsetSeconds", 2));
    });
    ingestion.get("sensors").fields().forEachRemaining(e -> {
      if (e.getValue().has("window")) {
        ((ObjectNode) e.getValue()).put("maxFutureMillis", 60_000);
      }
    });
    absoluteRepository(child);
    sensor = dir.resolve("sensor.json");
    Files.writeString(sensor, OwnDirectories.forIngestion(child.toPrettyString(), "ingestion", dir));
    ObjectNode parent = (ObjectNode) JSON.readTree(EXAMPLE.resolve("node.json").toFile());
    absoluteRepository(parent);
    node = dir.resolve("node.json");
    Files.writeString(node, parent.toPrettyString());

    JsonNode mapped = child.at("/modulesContent/inference/properties.desired/windows");
    try (OrtSession unsplit = PartitionedVibration.session(MODEL_VERSION.resolve("model.onnx"))) {
      for (JsonNode source : ingestion.get("sources")) {
        List<PartitionedVibration.Window> made = PartitionedVibration.windows((ObjectNode) source, WINDOW, HOP);
        String name = made.get(0).sensor();
        assertThat(mapped.at("/" + name + "/model").asText()).as("sensor %s mapped", name).isEqualTo("vibration-cnn");
        assertThat(ingestion.at("/sensors/" + name + "/window/size").asInt()).isEqualTo(WINDOW);
        assertThat(ingestion.at("/sensors/" + name + "/window/hop").asInt()).isEqualTo(HOP);
        List<float[]> outputs = new ArrayList<>();
        for (PartitionedVibration.Window w : made) {
          outputs.add(PartitionedVibration.run(unsplit, w.values(), 1, 1, WINDOW));
        }
        windows.put(name, made);
        expected.put(name, outputs);
      }
    }
  }

  private static void absoluteRepository(ObjectNode manifest) {
    ObjectNode twin = (ObjectNode) manifest.at("/modulesContent/inference/properties.desired");
    twin.put("repository", ROOT.resolve(twin.get("repository").asText()).toString());
  }

  private int windowCount() {
    return windows.values().stream().mapToInt(List::size).sum();
  }

  /** The README's command, at 10 Mbit/s and 20 ms. */
  @Test
  void everyWindowIsAnsweredAtTheEdgeNodeAsTheUnsplitModelAnswersIt() throws Exception {
    Path upstream = dir.resolve("up.jsonl");
    CliRun run = CliRun.of("run", "--device", "sensor=" + sensor, "--device", "node=" + node,
        "--link", "sensor-node=10Mbit/20ms", "--duration", "6s", "--quiet", "--admin-port", "0",
        "--metrics-port", "0", "--modules", ROOT.resolve("modules").toString(),
        "--upstream-file", upstream.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains(sensor + ": valid, 0 error(s), 0 warning(s)")
        .contains(node + ": valid, 0 error(s), 0 warning(s)")
        .contains("device 'node' (top): 1 modules, 3 routes")
        .contains("device 'sensor' (child of 'node'): 2 modules, 2 routes");
    checkAnswers(Files.readAllLines(upstream));
    // One chunk per window (the cut's 256 bytes), each crossed the link once, none sent again.
    Matcher link = Pattern.compile("edge run: link sensor-node: (\\d+) messages, (\\d+) bytes, 0 retransmissions,"
        + " 0 deferred").matcher(run.err());
    assertThat(link.find()).as(run.err()).isTrue();
    long messages = Long.parseLong(link.group(1));
    assertThat(messages).isEqualTo(windowCount());
    assertThat(Long.parseLong(link.group(2)) / messages).as("bytes per chunk on the link").isBetween(256L, 2048L);
  }

  /**
   * A link losing 10 % of its transmissions (seeded, so some are lost in every run): each lost one is sent again
   * after the retransmission timeout, so every window is still answered exactly once, as the unsplit model answers
   * it, only later.
   */
  @Test
  void aLossyLinkLosesNothingOnlyDelays() throws Exception {
    Path upstream = dir.resolve("up.jsonl");
    List<EdgeModuleFactory> factories = new ArrayList<>();
    ServiceLoader.load(EdgeModuleFactory.class).forEach(factories::add);
    RuntimeOptions options = RuntimeOptions.builder().upstreamFile(upstream).console(null).adminPort(0)
        .adminTokenFile(dir.resolve("admin.token")).metricsAddress(null).registry(new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(2)).factories(factories).build();
    Map<String, DeploymentManifest> devices = new LinkedHashMap<>();
    devices.put("sensor", ManifestParser.parse(Files.readString(sensor)));
    devices.put("node", ManifestParser.parse(Files.readString(node)));
    LinkSpec spec = LinkSpec.parse("1Mbit/50ms/10%");

    LinkStats stats;
    try (DeviceHierarchy hierarchy = DeviceHierarchy.start(devices,
        List.of(new DeviceLink("sensor", "node", spec)), options, LinkOptions.builder().seed(17).build())) {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(upstream) && results(Files.readAllLines(upstream)) >= windowCount());
      stats = hierarchy.uplink("sensor").orElseThrow().stats();
    }

    checkAnswers(Files.readAllLines(upstream));
    assertThat(stats.messages()).isEqualTo(windowCount());
    assertThat(stats.retransmissions()).as("transmissions lost and sent again").isPositive();
    assertThat(stats.maxTransit()).as("a lost chunk waits at least the retransmission timeout")
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  private static long results(List<String> lines) throws Exception {
    long n = 0;
    for (String line : lines) {
      if ("results".equals(JSON.readTree(line).at("/systemProperties/outputName").asText())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Every window answered exactly once on results, ok, as vibration-cnn, with the unsplit model's probabilities, its
   * label and the window's ground truth; an alert for each window the model calls a fault at or above minConfidence;
   * nothing else upstream (no incomplete_activations, no error).
   */
  private void checkAnswers(List<String> lines) throws Exception {
    Map<String, Set<Integer>> answered = new LinkedHashMap<>();
    Map<String, Integer> alerts = new LinkedHashMap<>();
    int correct = 0;
    int clear = 0;
    int clearCorrect = 0;
    for (String line : lines) {
      JsonNode message = JSON.readTree(line);
      String output = message.at("/systemProperties/outputName").asText();
      assertThat(message.at("/systemProperties/connectionDeviceId").asText()).isEqualTo("node");
      assertThat(output).as(line).isIn("results", "alert");
      JsonNode body = message.get("body");
      JsonNode properties = message.get("properties");
      String sensorName = properties.get("sensor").asText();
      assertThat(windows).as(line).containsKey(sensorName);
      assertThat(body.get("model").asText()).isEqualTo("vibration-cnn");
      if (output.equals("alert")) {
        alerts.merge(sensorName, 1, Integer::sum);
        assertThat(body.get("windowStart").isTextual()).as(line).isTrue();
        assertThat(body.get("prediction").asText()).isNotEqualTo("normal");
        continue;
      }
      assertThat(body.get("status").asText()).as(line).isEqualTo("ok");
      assertThat(properties.get("model").asText()).isEqualTo("vibration-cnn");
      assertThat(body.get("sensor").asText()).isEqualTo(sensorName);
      float[] probabilities = floats(body.at("/outputs/probabilities/data"));
      List<float[]> outputs = expected.get(sensorName);
      List<Integer> matches = new ArrayList<>();
      for (int i = 0; i < outputs.size(); i++) {
        if (Arrays.equals(outputs.get(i), probabilities)) {
          matches.add(i);
        }
      }
      assertThat(matches).as("the unsplit model's output on exactly one window of %s: %s", sensorName, line)
          .hasSize(1);
      int index = matches.get(0);
      assertThat(answered.computeIfAbsent(sensorName, s -> new HashSet<>()).add(index))
          .as("window %d of %s answered once", index, sensorName).isTrue();
      PartitionedVibration.Window window = windows.get(sensorName).get(index);
      String predicted = CLASSES.get(PartitionedVibration.argmax(probabilities));
      assertThat(properties.get("label").asText()).as("the simulator's ground truth, kept").isEqualTo(window.label());
      assertThat(properties.get("prediction").asText()).isEqualTo(predicted);
      assertThat(body.get("label").asText()).isEqualTo(predicted);
      correct += predicted.equals(window.label()) ? 1 : 0;
      if (!window.onset()) {
        clear++;
        clearCorrect += predicted.equals(window.label()) ? 1 : 0;
      }
    }
    for (Map.Entry<String, List<PartitionedVibration.Window>> e : windows.entrySet()) {
      assertThat(answered.getOrDefault(e.getKey(), Set.of())).as("every window of %s answered", e.getKey())
          .hasSize(e.getValue().size());
      long faults = expected.get(e.getKey()).stream()
          .filter(p -> PartitionedVibration.argmax(p) != 0 && p[PartitionedVibration.argmax(p)] >= MIN_CONFIDENCE)
          .count();
      assertThat(alerts.getOrDefault(e.getKey(), 0)).as("alerts of %s", e.getKey()).isEqualTo((int) faults);
    }
    assertThat(alerts.values().stream().mapToInt(Integer::intValue).sum()).as("the pump's fault is seen")
        .isPositive();
    // The answers are the unsplit model's, so their accuracy is the model's: all right clear of the fault's onset
    // (model-training's README: 1.0000 on the held-out windows clear of an onset), the windows that straddle the
    // onset labelled with the fault while mostly healthy.
    System.out.printf("partitioned vibration: %d windows, %d labelled right (%d of %d clear of the onset)%n",
        windowCount(), correct, clearCorrect, clear);
    assertThat(clearCorrect).as("right clear of the onset").isEqualTo(clear);
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.parseFloat(array.get(i).decimalValue().toString());
    }
    return values;
  }
}
