package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input {@code activate} and output {@code activated} under the local runtime: a driver module routed to both, a real
 * repository of {@code y = x * factor} models and ONNX Runtime.
 */
class ActivationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ROUTES = """
      {"activate": "FROM /messages/modules/driver/outputs/activate INTO BrokeredEndpoint(\\"/modules/inference/inputs/activate\\")",
       "activated": "FROM /messages/modules/inference/outputs/activated INTO BrokeredEndpoint(\\"/modules/driver/inputs/activated\\")",
       "infer": "FROM /messages/modules/driver/outputs/infer INTO BrokeredEndpoint(\\"/modules/inference/inputs/infer\\")",
       "results": "FROM /messages/modules/inference/outputs/results INTO BrokeredEndpoint(\\"/modules/driver/inputs/results\\")"}""";
  /** Golden samples of {@code y = 2x}. */
  private static final String GOLDEN_DOUBLES = """
      {"tolerance": {"absolute": 1e-4, "relative": 1e-3},
       "samples": [{"inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}},
                    "outputs": {"y": {"shape": [1, 4], "data": [2, 4, 6, 8]}}}]}""";

  @TempDir Path dir;
  private TestRepository repository;
  private final RecordingModule driver = new RecordingModule("activated", "results");
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<LocalEdgeRuntime> runtimes = new ArrayList<>();

  @BeforeEach
  void repository() {
    repository = new TestRepository(dir.resolve("models"));
  }

  @AfterEach
  void stop() {
    runtimes.forEach(LocalEdgeRuntime::close);
  }

  /** Starts the inference module (serving {@code scaler} with the policy given) and the driver. */
  private void run(String policy) throws Exception {
    runWithEntry("{\"versionPolicy\": " + policy + "}", null);
  }

  /** Starts the inference module, the twin's entry for {@code scaler} as given, and the driver. */
  private void runWithEntry(String scalerEntry, String backend) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode desired = JSON.createObjectNode();
    desired.put("repository", repository.root().toString());
    if (backend != null) {
      desired.put("backend", backend);
    }
    desired.putObject("models").set("scaler", JSON.readTree(scalerEntry));
    runtimes.add(InferenceRuntimes.start(dir, ROUTES, desired, driver, registry));
  }

  /**
   * Sends a body on the driver's {@code activate} output, the message's correlation id {@code messageCorrelation},
   * and waits for the answer correlated to {@code id} (the request id, or that correlation id when the body has
   * none).
   */
  private EdgeMessage activate(String body, String messageCorrelation, String id) throws Exception {
    int before = answers(id).size();
    driver.send("activate", EdgeMessage.builder().body(body.getBytes(StandardCharsets.UTF_8))
        .contentType("application/json").correlationId(messageCorrelation).build());
    return await().atMost(WAIT).alias(id + " answered; answers so far: " + driver.on("activated"))
        .until(() -> answers(id), a -> a.size() > before).get(before);
  }

  private EdgeMessage activate(String body, String id) throws Exception {
    return activate(body, id, id);
  }

  private List<EdgeMessage> answers(String id) {
    return driver.on("activated").stream().filter(m -> m.correlationId().orElse("").equals(id)).toList();
  }

  /** The version that answers an infer request, and its first output value for input {@code [1, 1, 1, 1]}. */
  private JsonNode infer(String correlationId) throws Exception {
    driver.send("infer", EdgeMessage.json("""
        {"model": "scaler", "correlationId": "%s", "inputs": {"x": {"shape": [1, 4], "data": [1, 1, 1, 1]}}}"""
        .formatted(correlationId)));
    return await().atMost(WAIT).until(() -> driver.on("results").stream()
        .filter(m -> m.correlationId().orElse("").equals(correlationId)).findFirst(), Optional::isPresent).get()
        .bodyAsJson();
  }

  private double goldenChecks(String version, String outcome) {
    double sum = 0;
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals("edgeai4j_inference_golden_checks")) {
        for (DataPointSnapshot p : s.getDataPoints()) {
          if (version.equals(p.getLabels().get("version")) && outcome.equals(p.getLabels().get("outcome"))) {
            sum += ((CounterDataPointSnapshot) p).getValue();
          }
        }
      }
    }
    return sum;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asLong()));
    return values;
  }

  @Test
  void aNewVersionIsActivatedOnceAndAskingAgainAnswersActiveWithoutReloading() throws Exception {
    repository.scaler("scaler", 1, 3f);
    runWithEntry("{}", null);
    assertThat(infer("before").get("version").asLong()).isEqualTo(1);

    repository.scaler("scaler", 2, 2f);
    Files.writeString(repository.root().resolve("scaler/2/golden.json"), GOLDEN_DOUBLES);
    String request = "{\"requestId\": \"r-1\", \"model\": \"scaler\", \"version\": 2}";
    EdgeMessage first = activate(request, "r-1");
    JsonNode answer = first.bodyAsJson();
    assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("active");
    assertThat(answer.get("requestId").asText()).isEqualTo("r-1");
    assertThat(answer.get("model").asText()).isEqualTo("scaler");
    assertThat(answer.get("version").asLong()).isEqualTo(2);
    assertThat(answer.has("reason")).isFalse();
    assertThat(longs(answer.get("serving"))).containsExactly(2L);
    assertThat(first.contentType()).contains("application/json");
    JsonNode result = infer("after");
    assertThat(result.get("version").asLong()).isEqualTo(2);
    assertThat(result.at("/outputs/y/data/0").floatValue()).isEqualTo(2f);
    assertThat(goldenChecks("2", "passed")).isEqualTo(1);

    JsonNode again = activate(request, "r-1").bodyAsJson();
    assertThat(again.get("outcome").asText()).as(again.toString()).isEqualTo("active");
    assertThat(longs(again.get("serving"))).containsExactly(2L);
    assertThat(goldenChecks("2", "passed")).as("no reload: no second golden check").isEqualTo(1);
    assertThat(answers("r-1")).hasSize(2);
    assertThat(infer("again").get("version").asLong()).isEqualTo(2);
  }

  @Test
  void anActivationCutShortByTheModuleStoppingIsLeftForTheRestartNotAnsweredFailed() throws Exception {
    repository.scaler("scaler", 1, 2f);
    runWithEntry("{}", GatedBackendProvider.NAME);
    assertThat(infer("before").get("version").asLong()).isEqualTo(1);
    repository.scaler("scaler", 2, 3f);
    GatedBackendProvider.GATE.hold();
    try {
      driver.send("activate", EdgeMessage.json("{\"requestId\": \"cut\", \"model\": \"scaler\", \"version\": 2}"));
      await().atMost(WAIT).until(() -> GatedBackendProvider.GATE.waiting() == 1);
      // The runtime stops while the load is held: the host waits its drain timeout for the handler, interrupts it
      // (the load goes on), then stops the module, which gives up its server and waits in ModelServer.close for the
      // load to end.
      LocalEdgeRuntime runtime = runtimes.get(0);
      java.util.concurrent.CompletableFuture<Void> closing =
          java.util.concurrent.CompletableFuture.runAsync(runtime::close);
      await().atMost(WAIT).until(ActivationTest::aThreadIsClosingTheModelServer);
      GatedBackendProvider.GATE.release();
      closing.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      GatedBackendProvider.GATE.release();
    }
    // No "failed" answer (model-update would have archived a good version): the message is left with the hub,
    // which offers it again after the restart.
    assertThat(answers("cut")).isEmpty();
  }

  /** Whether some thread is inside {@code ModelServer.close} (the module's stop has given up its server). */
  private static boolean aThreadIsClosingTheModelServer() {
    return Thread.getAllStackTraces().values().stream().anyMatch(stack -> java.util.Arrays.stream(stack)
        .anyMatch(f -> f.getClassName().equals("io.edgeai4j.inference.serving.ModelServer")
            && f.getMethodName().equals("close")));
  }

  @Test
  void aVersionFailingItsGoldenCheckIsNotActivatedAndTheOldOneServes() throws Exception {
    repository.scaler("scaler", 1, 2f);
    run("{\"latest\": 1}");
    repository.scaler("scaler", 2, 3f);
    Files.writeString(repository.root().resolve("scaler/2/golden.json"), GOLDEN_DOUBLES);

    JsonNode answer = activate("{\"requestId\": \"r-golden\", \"model\": \"scaler\", \"version\": 2}", "r-golden")
        .bodyAsJson();
    assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("failed");
    assertThat(answer.get("reason").asText()).contains("golden.json: golden check failed: golden sample 0,"
        + " output 'y'[0]: 3.0, expected 2.0 ± 0.0021");
    assertThat(longs(answer.get("serving"))).containsExactly(1L);
    JsonNode result = infer("still-1");
    assertThat(result.get("version").asLong()).isEqualTo(1);
    assertThat(result.at("/outputs/y/data/0").floatValue()).isEqualTo(2f);
    assertThat(goldenChecks("2", "failed")).isEqualTo(1);
  }

  @Test
  void everyRequestThatCannotBeActivatedIsAnsweredFailedWithItsReason() throws Exception {
    repository.scaler("scaler", 1, 2f);
    run("{\"latest\": 1}");
    repository.scaler("scaler", 2, 3f).scaler("scaler", 3, 4f);
    Path missing = repository.root().resolve("scaler").resolve("7");
    // body | the answer's requestId ("" for none) | reason parts
    List<List<String>> cases = List.of(
        List.of("not json", "", "not JSON"),
        List.of("[1, 2]", "", "the body must be an object"),
        List.of("{\"model\": \"scaler\", \"version\": 2}", "", "requestId: must be a string"),
        List.of("{\"requestId\": \"b-model\", \"version\": 2}", "b-model", "model: must be a model name", "nothing"),
        List.of("{\"requestId\": \"b-dir\", \"model\": \"../etc\", \"version\": 2}", "b-dir",
            "model: must be a model name", "\"../etc\""),
        List.of("{\"requestId\": \"b-text\", \"model\": \"scaler\", \"version\": \"2\"}", "b-text",
            "version: must be an integer 1 or more, found string \"2\""),
        List.of("{\"requestId\": \"b-zero\", \"model\": \"scaler\", \"version\": 0}", "b-zero",
            "version: must be an integer 1 or more, found number 0"),
        List.of("{\"requestId\": \"b-frac\", \"model\": \"scaler\", \"version\": 2.5}", "b-frac",
            "version: must be an integer 1 or more, found number 2.5"),
        List.of("{\"requestId\": \"b-field\", \"model\": \"scaler\", \"version\": 2, \"force\": true}", "b-field",
            "force: unknown field"),
        List.of("{\"requestId\": \"b-absent\", \"model\": \"absent\", \"version\": 1}", "b-absent",
            "model 'absent' is not in the twin's models section with {\"versionPolicy\": {\"latest\": 1}} (not"
                + " there); the version activated would not survive a restart"),
        List.of("{\"requestId\": \"b-none\", \"model\": \"scaler\", \"version\": 7}", "b-none",
            "no directory " + missing, "[1, 2, 3]"),
        List.of("{\"requestId\": \"b-old\", \"model\": \"scaler\", \"version\": 2}", "b-old",
            "version 2 is not the newest version directory of model 'scaler' (3 is)"));
    for (List<String> c : cases) {
      String id = c.get(1);
      String correlationId = "m-" + cases.indexOf(c);
      JsonNode answer = activate(c.get(0), correlationId, id.isEmpty() ? correlationId : id).bodyAsJson();
      assertThat(answer.get("outcome").asText()).as(c.get(0) + " -> " + answer).isEqualTo("failed");
      assertThat(answer.get("reason").asText()).as(c.get(0)).contains(c.subList(2, c.size()));
      if (id.isEmpty()) {
        assertThat(answer.has("requestId")).as(c.get(0)).isFalse();
      } else {
        assertThat(answer.get("requestId").asText()).isEqualTo(id);
      }
      boolean aboutScaler = c.get(0).contains("\"scaler\"");
      assertThat(longs(answer.path("serving"))).as(c.get(0)).isEqualTo(aboutScaler ? List.of(1L) : List.of());
    }
    assertThat(infer("unchanged").get("version").asLong()).isEqualTo(1);
    assertThat(driver.on("activated")).as("one answer per request").hasSize(cases.size());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      {"versionPolicy": {"specific": [1]}} | found {"specific": [1]}
      {"versionPolicy": {"latest": 2}}     | found {"latest": 2}
      """)
  void aModelTheTwinDoesNotServeWithLatest1IsNotActivatedAndTheReasonSaysWhatToPutInTheTwin(String entry,
      String found) throws Exception {
    repository.scaler("scaler", 1, 2f);
    runWithEntry(entry, null);
    repository.scaler("scaler", 2, 2f);
    JsonNode answer = activate("{\"requestId\": \"r-twin\", \"model\": \"scaler\", \"version\": 2}", "r-twin")
        .bodyAsJson();
    assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("failed");
    assertThat(answer.get("reason").asText()).isEqualTo("model 'scaler' is not in the twin's models section with"
        + " {\"versionPolicy\": {\"latest\": 1}} (" + found + "); the version activated would not survive a restart");
    assertThat(longs(answer.get("serving"))).containsExactly(1L);
    assertThat(infer("unchanged").get("version").asLong()).isEqualTo(1);
  }

  @Test
  void aFailedActivationOfAModelUnloadedByMethodLeavesItUnloaded() throws Exception {
    repository.scaler("scaler", 1, 2f);
    run("{\"latest\": 1}");
    LocalEdgeRuntime runtime = runtimes.get(0);
    assertThat(runtime.hub().invokeMethod("inference", "unload", JSON.readTree("{\"model\": \"scaler\"}"), WAIT)
        .status()).isEqualTo(200);
    repository.scaler("scaler", 2, 3f);
    Files.writeString(repository.root().resolve("scaler/2/golden.json"), GOLDEN_DOUBLES);

    JsonNode answer = activate("{\"requestId\": \"r-unloaded\", \"model\": \"scaler\", \"version\": 2}",
        "r-unloaded").bodyAsJson();
    assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("failed");
    assertThat(answer.get("reason").asText()).contains("golden check failed");
    assertThat(longs(answer.get("serving"))).as("not served, as before").isEmpty();
    JsonNode models = runtime.hub().invokeMethod("inference", "models", JSON.readTree("{}"), WAIT).payload();
    assertThat(models.get("models").findValuesAsText("name")).doesNotContain("scaler");
  }


}
