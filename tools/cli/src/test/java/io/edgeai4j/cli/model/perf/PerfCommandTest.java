package io.edgeai4j.cli.model.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

/**
 * {@code edge model perf}: short sweeps (200 ms per level) of a real multi-layer perceptron through the model server,
 * their JSON and plots, and the flags it refuses.
 */
class PerfCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** 32 features in, two hidden layers of 256, 8 out: enough work per run for requests to queue behind it. */
  private static final int[] WIDTHS = {32, 256, 256, 8};

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void writeModel() throws Exception {
    model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), WIDTHS, 7);
  }

  private static String[] args(String... args) {
    return args;
  }

  @Test
  void batchingOffSweepReportsEveryFigureWithOneRowPerRunAndPlotsAPng() throws Exception {
    Path json = dir.resolve("perf.json");
    Path png = dir.resolve("perf.png");

    CliRun run = CliRun.of("model", "perf", model.toString(), "--concurrency", "1:4", "--batching", "off",
        "--duration", "200ms", "--warmup", "50ms", "--json", json.toString(), "--plot", png.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("edge model perf: concurrency 1: 50 ms warm-up, 200 ms measured");
    assertThat(run.out()).contains(model + " on onnxruntime-cpu, batching off, 1 instance(s), inputs random (seed"
        + " 42), 200 ms per level").contains("concurrency").contains("bare ORT rows/s")
        .contains("wrote " + json).contains("wrote " + png);
    assertThat(run.out().lines().filter(l -> l.matches("\\s+[124] +\\d+\\.\\d .*"))).hasSize(3);
    for (int c : new int[] {1, 2, 4}) {
      assertThat(run.out()).contains("=== Performance summary (trtexec's terms), concurrency " + c + " ===\n");
    }
    assertThat(run.out()).containsPattern("\nThroughput: \\d+\\.\\d{4} qps\n")
        .containsPattern("\nEnd-to-End Host Latency: min = \\d+\\.\\d{4} ms, max = \\d+\\.\\d{4} ms, mean = "
            + "\\d+\\.\\d{4} ms, median = \\d+\\.\\d{4} ms, percentile\\(90%\\) = \\d+\\.\\d{4} ms, percentile\\(95%\\)"
            + " = \\d+\\.\\d{4} ms, percentile\\(99%\\) = \\d+\\.\\d{4} ms\n")
        .contains("Total Host Walltime: 0.200000 s\n")
        .contains("Latency, Enqueue Time, H2D Latency, GPU Compute Time, D2H Latency: not measured: through the"
            + " model server only each request's end-to-end latency is known");

    JsonNode report = JSON.readTree(json.toFile());
    assertThat(fieldNames(report)).containsExactlyInAnyOrder("model", "backend", "batching", "inputs",
        "durationMillis", "warmupMillis", "machine", "levels");
    assertThat(report.get("model").asText()).isEqualTo(model.toString());
    assertThat(report.at("/batching/enabled").asBoolean()).isFalse();
    assertThat(report.at("/batching/maxBatchSize").asInt()).isEqualTo(1);
    assertThat(report.at("/batching/instances").asInt()).isEqualTo(1);
    assertThat(report.get("durationMillis").asLong()).isEqualTo(200);
    assertThat(report.get("warmupMillis").asLong()).isEqualTo(50);
    assertThat(report.at("/machine/cpus").asInt()).isPositive();
    List<Integer> concurrency = new ArrayList<>();
    for (JsonNode level : report.get("levels")) {
      concurrency.add(level.get("concurrency").asInt());
      assertSane(level);
      assertThat(level.get("meanBatchSize").asDouble()).as("batching off").isEqualTo(1.0);
      assertThat(level.at("/onnxRuntime/batchSize").asInt()).isEqualTo(1);
      // One instance, batching off: the server runs a request on the submitting thread when the instance is free,
      // so the loop never has more than one in flight.
      assertThat(level.get("meanInFlight").asDouble()).isLessThanOrEqualTo(1 + 1e-9);
    }
    assertThat(concurrency).containsExactly(1, 2, 4);

    byte[] bytes = Files.readAllBytes(png);
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
    assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull()
        .satisfies(image -> assertThat(image.getWidth()).isEqualTo(900));
  }

  @Test
  void batchingOnGathersSeveralRowsPerRunAtConcurrencyFourAndPlotsAnSvg() throws Exception {
    Path json = dir.resolve("perf.json");
    Path svg = dir.resolve("perf.svg");

    CliRun run = CliRun.of("model", "perf", model.toString(), "--concurrency", "4", "--batching", "on",
        "--duration", "200ms", "--warmup", "50ms", "--json", json.toString(), "--plot", svg.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.at("/batching/enabled").asBoolean()).isTrue();
    assertThat(report.at("/batching/maxBatchSize").asInt()).isEqualTo(32);
    JsonNode level = report.at("/levels/0");
    assertSane(level);
    assertThat(level.get("concurrency").asInt()).isEqualTo(4);
    assertThat(level.get("meanBatchSize").asDouble()).isGreaterThan(1.0).isLessThanOrEqualTo(4.0);
    assertThat(level.get("meanInFlight").asDouble()).isGreaterThan(1.0);
    assertThat(level.at("/onnxRuntime/batchSize").asInt())
        .isEqualTo((int) Math.round(level.get("meanBatchSize").asDouble()));

    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    // The SVG names its DTD on w3.org: parse it without fetching it.
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document document = xml.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
    assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(document.getDocumentElement().getAttribute("width")).isEqualTo("900px");
    // XChart draws text as outlines: the two series' lines are polylines of the one level's points.
    assertThat(document.getElementsByTagName("path").getLength()).isGreaterThan(10);
  }

  @Test
  void aVersionDirectoryIsServedWithItsModelJsonAndInstancesFromTheFlag() throws Exception {
    Path version = dir.resolve("repo/classifier/3");
    OnnxTestModels.mlp(version.resolve("model.onnx"), WIDTHS, 7);
    Files.writeString(version.resolve("model.json"), """
        {"name": "classifier",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 32]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 8]}],
         "batching": {"maxBatchSize": 2, "maxQueueDelayMicros": 100, "instances": 3}}
        """);
    Path json = dir.resolve("perf.json");

    CliRun run = CliRun.of("model", "perf", version.toString(), "--concurrency", "4", "--instances", "2",
        "--duration", "200ms", "--warmup", "50ms", "--json", json.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.get("model").asText()).isEqualTo(version.resolve("model.onnx").toString());
    assertThat(report.at("/batching/maxBatchSize").asInt()).isEqualTo(2);
    assertThat(report.at("/batching/maxQueueDelayMicros").asInt()).isEqualTo(100);
    assertThat(report.at("/batching/instances").asInt()).isEqualTo(2);
    assertSane(report.at("/levels/0"));
    assertThat(report.at("/levels/0/meanBatchSize").asDouble()).isBetween(1.0, 2.0);
  }

  @Test
  void rowsComeFromADataDirectoryAndOneThatDoesNotFitTheModelIsRefusedNamingTheFile() throws Exception {
    Path data = dir.resolve("data");
    writeFloats(data.resolve("test_data_set_0/input_0.pb"), 3, 32);
    writeFloats(data.resolve("test_data_set_1/input_0.pb"), 2, 32);

    CliRun run = CliRun.of("model", "perf", model.toString(), "--concurrency", "2", "--data", data.toString(),
        "--duration", "200ms", "--warmup", "50ms");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("inputs data " + data + " (5 rows)");

    Path narrow = dir.resolve("narrow");
    writeFloats(narrow.resolve("test_data_set_0/input_0.pb"), 2, 16);
    CliRun refused = CliRun.of("model", "perf", model.toString(), "--data", narrow.toString(), "--duration",
        "200ms");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(refused.err()).startsWith("edge model perf: --data: ")
        .contains(narrow.resolve("test_data_set_0/input_0.pb").toString())
        .contains("has shape [2, 16], input 'x' is");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--concurrency 4:2         | 2  | '4:2': expected 1 <= start <= end <= 1024, found start 4 and end 2",
      "--concurrency a:b         | 2  | 'a:b' is not a concurrency range",
      "--concurrency 1:8:0       | 2  | the step must be at least 1, found 0",
      "--batching maybe          | 2  | expected one of [on, off]",
      "--instances 0             | 2  | edge model perf: --instances must be 1 to 64, found 0",
      "--instances 65            | 2  | edge model perf: --instances must be 1 to 64, found 65",
      "--duration 0s             | 2  | '0s' must be a positive duration",
      "--duration ten            | 2  | 'ten' has no unit",
      "--plot perf.gif           | 2  | edge model perf: --plot: 'perf.gif' must end in .png or .svg",
      "--json no/such/dir/p.json | 73 | does not exist"})
  void badFlagsAreRefusedBeforeAnythingRuns(String flags, int exitCode, String message) {
    List<String> args = new ArrayList<>(List.of("model", "perf", model.toString()));
    args.addAll(List.of(flags.split(" ")));

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(run.err()).doesNotContain("warm-up");
  }

  @Test
  void backendTensorRtFailsAtStartUpListingTheBackendsFound() {
    CliRun run = CliRun.of("model", "perf", model.toString(), "--backend", "tensorrt", "--duration", "200ms");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    // Without the TensorRT backend on the class path the name is unknown; with it (after the merge of its module)
    // it is unavailable here with its probe's reasons. Either way every backend found is listed.
    assertThat(run.err()).startsWith("edge model perf: --backend tensorrt: ")
        .containsAnyOf("no backend named 'tensorrt'; backends found: ", "backend 'tensorrt' is unavailable: ")
        .contains("onnxruntime-cpu").contains("onnxruntime-cuda")
        .doesNotContain("warm-up");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMissingModelAndAFileThatIsNoModelAreRefused() throws Exception {
    Path missing = dir.resolve("missing.onnx");
    CliRun none = CliRun.of("model", "perf", missing.toString());
    assertThat(none.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(none.err()).isEqualTo("edge model perf: MODEL: '" + missing + "' is not a file; expected a model.onnx"
        + " or a version directory holding one\n");

    Path broken = Files.writeString(dir.resolve("broken.onnx"), "not a model");
    CliRun unreadable = CliRun.of("model", "perf", broken.toString(), "--duration", "200ms");
    assertThat(unreadable.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(unreadable.err()).startsWith("edge model perf: '" + broken + "': ");
  }

  @Test
  void aModelWhoseFirstDimensionIsFixedCannotBeBatchedOrSentOneRowAtATime() throws Exception {
    // x: float32[1, 1] and shape: int64[2], y: float32[rows, columns].
    Path fixed = OnnxTestModels.expand(dir.resolve("expand.onnx"), 1);

    CliRun batched = CliRun.of("model", "perf", fixed.toString(), "--batching", "on", "--duration", "200ms");
    assertThat(batched.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(batched.err()).startsWith("edge model perf: --batching on: the model's inputs [x:float32[1, 1],"
        + " shape:int64[2]]").endsWith("do not all have an open first dimension, so rows cannot be batched; use"
        + " --batching off\n");

    CliRun unbatched = CliRun.of("model", "perf", fixed.toString(), "--batching", "off", "--duration", "200ms");
    assertThat(unbatched.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(unbatched.err()).isEqualTo("edge model perf: input 'shape' is shape:int64[2]; perf sends one row per"
        + " request, so the first dimension must be open (-1) or 1\n");
  }

  /** Every figure of a level present and sane. */
  private static void assertSane(JsonNode level) {
    assertThat(fieldNames(level)).containsExactlyInAnyOrder("concurrency", "requests", "throughput", "meanInFlight",
        "latencyMicros", "queueMicros", "computeMicrosPerRow", "meanBatchSize", "onnxRuntime", "trtexec");
    assertTrtexecTerms(level);
    assertThat(level.get("requests").asLong()).isPositive();
    assertThat(level.get("throughput").asDouble()).isPositive();
    double p50 = level.at("/latencyMicros/p50").asDouble();
    double p90 = level.at("/latencyMicros/p90").asDouble();
    double p99 = level.at("/latencyMicros/p99").asDouble();
    assertThat(fieldNames(level.get("latencyMicros"))).containsExactlyInAnyOrder("mean", "p50", "p90", "p99");
    assertThat(level.at("/latencyMicros/mean").asDouble()).isPositive();
    assertThat(p50).isPositive().isLessThanOrEqualTo(p90);
    assertThat(p90).isLessThanOrEqualTo(p99);
    assertThat(level.get("queueMicros").asDouble()).isNotNegative();
    assertThat(level.get("computeMicrosPerRow").asDouble()).isPositive();
    assertThat(level.get("meanBatchSize").asDouble()).isGreaterThanOrEqualTo(1.0);
    // Each request's queue time and its batch's run lie inside its latency (submit to completion); HdrHistogram's
    // mean is good to 3 significant digits.
    assertThat(level.get("queueMicros").asDouble() + level.get("computeMicrosPerRow").asDouble())
        .isLessThanOrEqualTo(level.at("/latencyMicros/mean").asDouble() * 1.01);
    assertThat(level.at("/onnxRuntime/rowsPerSecond").asDouble()).isPositive();
    // A closed loop never has more than c requests outstanding.
    assertThat(level.get("meanInFlight").asDouble()).isPositive()
        .isLessThanOrEqualTo(level.get("concurrency").asInt() + 1e-9);
  }

  /** The level's trtexec block: its throughput, the end-to-end distribution in order, and what is not measured. */
  private static void assertTrtexecTerms(JsonNode level) {
    JsonNode t = level.get("trtexec");
    assertThat(fieldNames(t)).containsExactlyInAnyOrder("throughputQps", "totalHostWalltimeSeconds", "queries",
        "endToEndHostLatencyMs", "notMeasured", "notMeasuredBecause");
    assertThat(t.get("throughputQps").asDouble()).isEqualTo(level.get("throughput").asDouble());
    assertThat(t.get("queries").asLong()).isEqualTo(level.get("requests").asLong());
    JsonNode e2e = t.get("endToEndHostLatencyMs");
    double[] ordered = {e2e.get("min").asDouble(), e2e.get("median").asDouble(), e2e.get("p90").asDouble(),
        e2e.get("p95").asDouble(), e2e.get("p99").asDouble(), e2e.get("max").asDouble()};
    assertThat(ordered[0]).isPositive();
    assertThat(ordered).isSorted();
    assertThat(e2e.get("mean").asDouble()).isBetween(ordered[0], ordered[5]);
    // The same requests as HdrHistogram's mean (3 significant digits), in milliseconds.
    assertThat(e2e.get("mean").asDouble() * 1000).isCloseTo(level.at("/latencyMicros/mean").asDouble(),
        withPercentage(1));
    List<String> notMeasured = new ArrayList<>();
    t.get("notMeasured").forEach(n -> notMeasured.add(n.asText()));
    assertThat(notMeasured).containsExactly("Latency", "Enqueue Time", "H2D Latency", "GPU Compute Time",
        "D2H Latency");
    assertThat(t.get("notMeasuredBecause").asText()).contains("only each request's end-to-end latency is known");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void writeFloats(Path file, int rows, int width) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * width; i++) {
      b.putFloat((i % 7) / 7f);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, OnnxMl.TensorProto.newBuilder().setName("x").addDims(rows).addDims(width)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()))
        .build().toByteArray());
  }
}
