package io.edgeai4j.inference.module;

import io.edgeai4j.runtime.testing.RecordingModule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module under {@code edge run}'s runtime: real hub, routes, twin, ONNX Runtime and model repository. */
class InferenceModuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration METHOD_TIMEOUT = Duration.ofSeconds(20);
  private static final String ROUTES = """
      {"infer": "FROM /messages/modules/driver/outputs/infer INTO BrokeredEndpoint(\\"/modules/inference/inputs/infer\\")",
       "features": "FROM /messages/modules/driver/outputs/features INTO BrokeredEndpoint(\\"/modules/inference/inputs/features\\")",
       "results": "FROM /messages/modules/inference/outputs/results INTO BrokeredEndpoint(\\"/modules/driver/inputs/results\\")",
       "alerts": "FROM /messages/modules/inference/outputs/alert INTO BrokeredEndpoint(\\"/modules/driver/inputs/alert\\")"}""";

  @TempDir Path dir;
  private TestRepository repository;
  private Path shared;
  private final RecordingModule driver = new RecordingModule("results", "alert");
  private final List<LocalEdgeRuntime> runtimes = new ArrayList<>();

  @BeforeEach
  void repository() throws Exception {
    repository = new TestRepository(dir.resolve("models"));
    shared = Files.createDirectories(dir.resolve("shared"));
  }

  @AfterEach
  void stop() {
    runtimes.forEach(LocalEdgeRuntime::close);
  }

  /** Starts the inference module and the driver with the given desired properties (repository and shared added). */
  private LocalEdgeRuntime run(String twin) throws Exception {
    ObjectNode desired = (ObjectNode) JSON.readTree(twin);
    if (!desired.has("repository")) {
      desired.put("repository", repository.root().toString());
    }
    if (!desired.has("sharedDirectory")) {
      desired.put("sharedDirectory", shared.toString());
    }
    LocalEdgeRuntime runtime = InferenceRuntimes.start(dir, ROUTES, desired, driver, new PrometheusRegistry());
    runtimes.add(runtime);
    return runtime;
  }

  /** Sends a request on the driver's {@code infer} output and waits for the result with its correlation id. */
  private EdgeMessage infer(String body) throws Exception {
    String correlationId = JSON.readTree(body).get("correlationId").asText();
    driver.send("infer", EdgeMessage.json(body));
    return result(correlationId);
  }

  private EdgeMessage result(String correlationId) {
    return await().atMost(WAIT).until(() -> driver.on("results").stream()
        .filter(m -> m.correlationId().orElse("").equals(correlationId)).findFirst(), Optional::isPresent).get();
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> values = new ArrayList<>();
    array.forEach(v -> values.add(v.floatValue()));
    return values;
  }

  private static String littleEndianBase64(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  @Test
  void tensorsInJsonBase64AndFilesAreAnsweredWithCorrelationIdModelVersionAndLatency() throws Exception {
    repository.scaler("scaler", 1, 2f);
    ByteBuffer file = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 1; i <= 8; i++) {
      file.putFloat(i);
    }
    Files.write(shared.resolve("req-17.bin"), file.array());
    run("{\"models\": {\"scaler\": {\"versionPolicy\": {\"latest\": 1}}}}");

    EdgeMessage json = infer("""
        {"model": "scaler", "correlationId": "c-json", "inputs": {"x": {"type": "float32", "shape": [1, 4],
         "data": [1, 2, 3, 4]}}}""");
    JsonNode body = json.bodyAsJson();
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("model").asText()).isEqualTo("scaler");
    assertThat(body.get("version").asLong()).isEqualTo(1);
    assertThat(body.at("/outputs/y/type").asText()).isEqualTo("float32");
    assertThat(floats(body.at("/outputs/y/shape"))).containsExactly(1f, 4f);
    assertThat(floats(body.at("/outputs/y/data"))).containsExactly(2f, 4f, 6f, 8f);
    assertThat(body.at("/latencyMillis/total").asDouble()).isPositive()
        .isGreaterThanOrEqualTo(body.at("/latencyMillis/compute").asDouble());
    assertThat(body.at("/latencyMillis/queue").isNumber()).isTrue();
    assertThat(body.get("batchSize").asInt()).isPositive();
    assertThat(json.contentType()).contains("application/json");
    assertThat(json.contentEncoding()).contains("utf-8");
    assertThat(json.properties()).containsEntry("status", "ok").containsEntry("model", "scaler")
        .containsEntry("version", "1");

    EdgeMessage base64 = infer("""
        {"model": "scaler", "version": 1, "correlationId": "c-b64", "outputEncoding": "base64",
         "inputs": {"x": {"shape": [1, 4], "base64": "%s"}}}""".formatted(littleEndianBase64(1.5f, -2f, 0.25f, 8f)));
    JsonNode b64 = base64.bodyAsJson();
    assertThat(b64.at("/outputs/y/data").isMissingNode()).isTrue();
    ByteBuffer out = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/outputs/y/base64").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {out.getFloat(), out.getFloat(), out.getFloat(), out.getFloat()})
        .containsExactly(3f, -4f, 0.5f, 16f);

    EdgeMessage byName = infer("""
        {"model": "scaler", "correlationId": "c-file", "inputs": {"x": {"shape": [2, 4], "file": "req-17.bin"}}}""");
    assertThat(floats(byName.bodyAsJson().at("/outputs/y/data"))).containsExactly(2f, 4f, 6f, 8f, 10f, 12f, 14f, 16f);
    EdgeMessage byPath = infer("""
        {"model": "scaler", "correlationId": "c-path", "inputs": {"x": {"shape": [2, 4], "file": "%s"}}}"""
        .formatted(shared.resolve("req-17.bin")));
    assertThat(floats(byPath.bodyAsJson().at("/outputs/y/shape"))).containsExactly(2f, 4f);
    assertThat(Files.exists(shared.resolve("req-17.bin"))).as("the file is read, not deleted").isTrue();

    // No correlationId in the body: the message's own is used; the input's properties travel on.
    driver.send("infer", EdgeMessage.builder().jsonBody("""
        {"model": "scaler", "inputs": {"x": {"shape": [1, 4], "data": [0, 0, 0, 1]}}}""")
        .correlationId("c-system").property("label", "ground-truth").build());
    EdgeMessage fallback = result("c-system");
    assertThat(fallback.bodyAsJson().get("correlationId").asText()).isEqualTo("c-system");
    assertThat(fallback.properties()).containsEntry("label", "ground-truth").containsEntry("status", "ok");

    // A UTF-16 body (not the utf-8 the framework writes) is decoded by its contentEncoding, base64 included.
    driver.send("infer", EdgeMessage.builder().body("""
        {"model": "scaler", "correlationId": "c-utf16", "outputEncoding": "base64",
         "inputs": {"x": {"shape": [1, 4], "base64": "%s"}}}""".formatted(littleEndianBase64(1f, 2f, -3f, 0.5f))
        .getBytes(java.nio.charset.StandardCharsets.UTF_16)).contentType("application/json")
        .contentEncoding("utf-16").build());
    ByteBuffer utf16 = ByteBuffer.wrap(Base64.getDecoder().decode(result("c-utf16").bodyAsJson()
        .at("/outputs/y/base64").asText())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {utf16.getFloat(), utf16.getFloat(), utf16.getFloat(), utf16.getFloat()})
        .containsExactly(2f, 4f, -6f, 1f);
  }

  @Test
  void everyFailureIsAnsweredOnResultsWithItsKindAndWhatWasWrong() throws Exception {
    repository.scaler("scaler", 1, 2f);
    Files.write(dir.resolve("outside.bin"), new byte[16]);
    run("{\"models\": {\"scaler\": {}}}");

    assertError(infer("""
        {"model": "nosuch", "correlationId": "e-model", "inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}}}"""),
        "unknown_model", "nosuch");
    assertError(infer("""
        {"model": "scaler", "version": 7, "correlationId": "e-version",
         "inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}}}"""), "unknown_version", "7");
    assertError(infer("""
        {"model": "scaler", "correlationId": "e-shape", "inputs": {"x": {"shape": [1, 5], "data": [1, 2, 3, 4, 5]}}}"""),
        "bad_input", "'x'", "[1, 5]", "[-1, 4]");
    assertError(infer("""
        {"model": "scaler", "correlationId": "e-base64", "inputs": {"x": {"shape": [1, 4], "base64": "@@not base64"}}}"""),
        "bad_request", "inputs.x.base64", "is not base64");
    assertError(infer("""
        {"model": "scaler", "correlationId": "e-outside", "inputs": {"x": {"shape": [1, 4], "file": "../outside.bin"}}}"""),
        "bad_request", "inputs.x.file", "outside the shared directory");
    assertError(infer("""
        {"model": "scaler", "correlationId": "e-count", "inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3]}}}"""),
        "bad_request", "inputs.x.data", "holds 3 values, the shape holds 4");
    assertError(infer("""
        {"model": "scaler", "correlationId": "e-field", "input": {}}"""), "bad_request", "input: unknown field");

    driver.send("infer", EdgeMessage.builder().body("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .correlationId("e-json").build());
    assertError(result("e-json"), "bad_request", "not JSON");
  }

  private static void assertError(EdgeMessage message, String kind, String... messageParts) {
    JsonNode body = message.bodyAsJson();
    assertThat(body.get("status").asText()).isEqualTo("error");
    assertThat(body.at("/error/kind").asText()).as(body.toString()).isEqualTo(kind);
    assertThat(body.at("/error/message").asText()).contains(messageParts);
    assertThat(message.properties()).containsEntry("status", "error").containsEntry("errorKind", kind);
    assertThat(message.contentType()).contains("application/json");
  }

  @Test
  void aFeaturesMessageIsClassifiedByTheSensorsModelAndAFaultRaisesAnAlert() throws Exception {
    repository.classifier("fault-classifier", 1);
    run("""
        {"models": {"fault-classifier": {"versionPolicy": {"latest": 1}}},
         "features": {"vibration": {"model": "fault-classifier", "minConfidence": 0.5}}}""");

    driver.send("features", features("f-normal", "vibration", 3.0, "normal"));
    EdgeMessage normal = result("f-normal");
    JsonNode body = normal.bodyAsJson();
    assertThat(body.get("status").asText()).as(body.toString()).isEqualTo("ok");
    assertThat(body.get("label").asText()).isEqualTo("normal");
    double p = Math.exp(2) / (Math.exp(2) + 2);
    assertThat(body.get("confidence").asDouble()).isCloseTo(p, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(body.get("sensor").asText()).isEqualTo("vibration");
    assertThat(normal.properties()).containsEntry("prediction", "normal").containsEntry("label", "normal")
        .containsEntry("sensor", "vibration");

    driver.send("features", features("f-fault", "vibration", 10.0, "outerRace"));
    EdgeMessage fault = result("f-fault");
    assertThat(fault.bodyAsJson().get("label").asText()).isEqualTo("outerRace");
    assertThat(fault.properties()).containsEntry("prediction", "outerRace").containsEntry("label", "outerRace");
    EdgeMessage alert = await().atMost(WAIT).until(() -> driver.on("alert"), a -> !a.isEmpty()).get(0);
    JsonNode a = alert.bodyAsJson();
    assertThat(a.get("sensor").asText()).isEqualTo("vibration");
    assertThat(a.get("source").asText()).isEqualTo("machine");
    assertThat(a.get("windowStart").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(a.get("windowEnd").asText()).isEqualTo("2026-01-01T00:00:00.2Z");
    assertThat(a.get("prediction").asText()).isEqualTo("outerRace");
    assertThat(a.get("confidence").asDouble()).isGreaterThan(0.99);
    assertThat(a.get("model").asText()).isEqualTo("fault-classifier");
    assertThat(a.get("version").asLong()).isEqualTo(1);
    assertThat(alert.properties()).containsEntry("prediction", "outerRace").containsEntry("label", "outerRace")
        .containsEntry("source", "machine");
    // The normal window, answered before the fault was sent, raised none.
    assertThat(driver.on("alert")).hasSize(1);

    driver.send("features", features("f-unmapped", "temperature", 3.0, "normal"));
    assertError(result("f-unmapped"), "bad_request", "'temperature'", "no model is mapped", "[vibration]");
  }

  @Test
  void labelsAndFeatureFieldsComeFromTheVersionThatAnswersNotTheNewest() throws Exception {
    repository.classifier("fault-classifier", 1).reorderedClassifier("fault-classifier", 2);
    LocalEdgeRuntime runtime = run("""
        {"models": {"fault-classifier": {"versionPolicy": {"specific": [1, 2]}}},
         "features": {"pinned": {"model": "fault-classifier", "version": 1},
                      "newest": {"model": "fault-classifier"}}}""");

    // Version 1 reads (rms, kurtosis - 3, band0); version 2's fields would put rms where kurtosis goes.
    driver.send("features", features("v-pinned", "pinned", 10.0, "outerRace"));
    JsonNode pinned = result("v-pinned").bodyAsJson();
    assertThat(pinned.get("version").asLong()).as(pinned.toString()).isEqualTo(1);
    assertThat(pinned.get("label").asText()).isEqualTo("outerRace");
    assertThat(pinned.get("confidence").asDouble()).isGreaterThan(0.999_999);
    driver.send("features", features("v-newest", "newest", 10.0, "outerRace"));
    JsonNode newest = result("v-newest").bodyAsJson();
    assertThat(newest.get("version").asLong()).isEqualTo(2);
    assertThat(newest.get("label").asText()).isEqualTo("bearing");

    MethodResponse rows = call(runtime, "infer", """
        {"model": "fault-classifier", "version": 1, "inputs": {"x": {"shape": [2, 3], "data": [[0, 0, 0], [0, 7, 0]]}}}""");
    assertThat(rows.payload().at("/labels/0/label").asText()).as(rows.payload().toString()).isEqualTo("normal");
    assertThat(rows.payload().at("/labels/1/label").asText()).isEqualTo("outerRace");
  }

  @Test
  void aFeaturesMessageForAModelWithNoReadyVersionIsNotReadyNotUnknown() throws Exception {
    repository.classifier("fault-classifier", 1).broken("broken", 1);
    run("""
        {"models": {"fault-classifier": {}, "broken": {}},
         "features": {"current": {"model": "broken"}, "vibration": {"model": "fault-classifier", "version": 5},
                      "pressure": {"model": "absent"}}}""");

    driver.send("features", features("n-failed", "current", 3.0, "normal"));
    assertError(result("n-failed"), "not_ready", "'broken'", "features.current", "1 failed");
    driver.send("features", features("n-version", "vibration", 3.0, "normal"));
    assertError(result("n-version"), "unknown_version", "no version 5", "features.vibration.version");
    driver.send("features", features("n-model", "pressure", 3.0, "normal"));
    assertError(result("n-model"), "unknown_model", "'absent'", "features.pressure.model", "[broken, fault-classifier]");
  }

  private static EdgeMessage features(String correlationId, String sensor, double kurtosis, String label) {
    String body = """
        {"sensor": "%s", "source": "machine", "unit": "m/s^2", "windowStart": "2026-01-01T00:00:00Z",
         "windowEnd": "2026-01-01T00:00:00.2Z", "samples": 1024, "sampleRateHz": 5000, "mean": 0.0, "rms": 1.0,
         "peak": 3.0, "peakToPeak": 6.0, "crestFactor": 3.0, "kurtosis": %s, "skewness": 0.0,
         "bands": {"band0": 0.5, "band1": 0.25}}""".formatted(sensor, kurtosis);
    return EdgeMessage.builder().jsonBody(body).correlationId(correlationId).property("sensor", sensor)
        .property("source", "machine").property("label", label).build();
  }

  @Test
  void directMethodsInferListLoadAndUnloadModels() throws Exception {
    repository.scaler("scaler", 1, 2f).classifier("fault-classifier", 1);
    LocalEdgeRuntime runtime = run("{\"models\": {\"scaler\": {}}}");
    String request = """
        {"model": "scaler", "correlationId": "m-1", "inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}}}""";

    MethodResponse ok = call(runtime, "infer", request);
    assertThat(ok.status()).as(ok.payload().toString()).isEqualTo(200);
    assertThat(floats(ok.payload().at("/outputs/y/data"))).containsExactly(2f, 4f, 6f, 8f);
    assertThat(ok.payload().get("correlationId").asText()).isEqualTo("m-1");
    assertThat(call(runtime, "infer", "{\"model\": \"scaler\"}").status()).isEqualTo(400);
    MethodResponse unknown = call(runtime, "infer", request.replace("\"scaler\"", "\"nosuch\""));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.payload().at("/error/kind").asText()).isEqualTo("unknown_model");
    MethodResponse badShape = call(runtime, "infer", request.replace("[1, 4]", "[2, 2]"));
    assertThat(badShape.status()).isEqualTo(400);
    assertThat(badShape.payload().at("/error/kind").asText()).isEqualTo("bad_input");

    MethodResponse models = call(runtime, "models", "null");
    assertThat(models.status()).isEqualTo(200);
    assertThat(models.payload().get("backend").asText()).isEqualTo("onnxruntime-cpu");
    JsonNode scaler = models.payload().at("/models/0");
    assertThat(scaler.get("name").asText()).isEqualTo("scaler");
    assertThat(scaler.at("/versions/0/version").asLong()).isEqualTo(1);
    assertThat(scaler.at("/versions/0/state").asText()).isEqualTo("ready");
    assertThat(scaler.at("/versions/0/loadTimeMillis").isNumber()).isTrue();
    assertThat(scaler.at("/descriptor/inputs/0/name").asText()).isEqualTo("x");
    assertThat(scaler.at("/descriptor/batching/maxBatchSize").asInt()).isEqualTo(32);

    MethodResponse load = call(runtime, "load", "{\"model\": \"fault-classifier\", \"versionPolicy\": {\"specific\": [1]}}");
    assertThat(load.status()).as(load.payload().toString()).isEqualTo(200);
    assertThat(load.payload().at("/versions/0/state").asText()).isEqualTo("ready");
    assertThat(load.payload().at("/descriptor/labels/classes/2").asText()).isEqualTo("outerRace");
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported()
        .at("/inference/models/fault-classifier/versions/1/state").asText().equals("ready"));
    MethodResponse classified = call(runtime, "infer", """
        {"model": "fault-classifier", "inputs": {"x": {"shape": [2, 3], "data": [[0, 0, 0], [0, 7, 0]]}}}""");
    assertThat(classified.payload().at("/labels/0/label").asText()).isEqualTo("normal");
    assertThat(classified.payload().at("/labels/1/label").asText()).isEqualTo("outerRace");

    MethodResponse unload = call(runtime, "unload", "{\"model\": \"scaler\"}");
    assertThat(unload.status()).isEqualTo(200);
    assertThat(call(runtime, "infer", request).payload().at("/error/kind").asText()).isEqualTo("unknown_model");
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/inference/models/scaler")
        .isMissingNode());
    assertThat(call(runtime, "unload", "{\"model\": \"scaler\"}").status()).isEqualTo(404);
    MethodResponse missing = call(runtime, "load", "{\"model\": \"absent\"}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.payload().at("/error/message").asText()).contains("absent");

    assertThat(call(runtime, "load", "{\"model\": \"scaler\"}").status()).isEqualTo(200);
    assertThat(call(runtime, "infer", request).status()).isEqualTo(200);
  }

  private static MethodResponse call(LocalEdgeRuntime runtime, String method, String payload) throws Exception {
    return runtime.hub().invokeMethod("inference", method, JSON.readTree(payload), METHOD_TIMEOUT);
  }

  @Test
  void aTwinPatchOfModelsHotSwapsTheVersionWhileClientsRunAndNoRequestFails() throws Exception {
    repository.scaler("scaler", 1, 2f).scaler("scaler", 2, 3f);
    LocalEdgeRuntime runtime = run("{\"models\": {\"scaler\": {\"versionPolicy\": {\"specific\": [1]}}}}");
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported()
        .at("/inference/models/scaler/versions/1/state").asText().equals("ready"));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger onVersion2 = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<Integer>> counts = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      counts.add(clients.submit(() -> {
        int n = 0;
        while (running.get()) {
          float v = client * 1000 + n;
          MethodResponse r = call(runtime, "infer", """
              {"model": "scaler", "inputs": {"x": {"shape": [1, 4], "data": [%s, 1, 2, 3]}}}""".formatted(v));
          n++;
          JsonNode p = r.payload();
          long version = p.path("version").asLong();
          float expected = version == 1 ? 2 : 3;
          if (r.status() != 200 || p.at("/outputs/y/data/0").floatValue() != expected * v) {
            failures.add(r.status() + " " + p);
          } else if (version == 2) {
            onVersion2.incrementAndGet();
          }
        }
        return n;
      }));
    }
    try {
      await().atMost(WAIT).until(() -> counts.size() == 4);
      runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
          {"models": {"scaler": {"versionPolicy": {"specific": [2]}}}}"""));
      await().atMost(WAIT).until(() -> onVersion2.get() >= 20);
    } finally {
      running.set(false);
      clients.shutdown();
    }
    int total = 0;
    for (Future<Integer> count : counts) {
      total += count.get();
    }
    assertThat(failures).isEmpty();
    assertThat(total).isGreaterThan(onVersion2.get());
    await().atMost(WAIT).until(() -> {
      JsonNode versions = runtime.hub().twin("inference").reported().at("/inference/models/scaler/versions");
      return versions.at("/2/state").asText().equals("ready") && versions.at("/1").isMissingNode();
    });
  }

  @Test
  void requestsAreAnsweredByTheServingVersionWhileANewVersionLoads() throws Exception {
    repository.scaler("scaler", 1, 2f).scaler("scaler", 2, 3f);
    LocalEdgeRuntime runtime = run("""
        {"backend": "%s", "models": {"scaler": {"versionPolicy": {"specific": [1]}}}}"""
        .formatted(GatedBackendProvider.NAME));
    String request = """
        {"model": "scaler", "correlationId": "%s", "inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}}}""";
    GatedBackendProvider.GATE.hold();
    try {
      runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
          {"models": {"scaler": {"versionPolicy": {"specific": [2]}}}}"""));
      await().atMost(WAIT).until(() -> GatedBackendProvider.GATE.waiting() == 1);

      // Version 2 is held in its load: input, method and reported states go on with version 1.
      JsonNode byInput = infer(request.formatted("during-load")).bodyAsJson();
      assertThat(byInput.get("version").asLong()).as(byInput.toString()).isEqualTo(1);
      assertThat(floats(byInput.at("/outputs/y/data"))).containsExactly(2f, 4f, 6f, 8f);
      MethodResponse byMethod = call(runtime, "infer", request.formatted("method-during-load"));
      assertThat(byMethod.payload().get("version").asLong()).as(byMethod.payload().toString()).isEqualTo(1);
      await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported()
          .at("/inference/models/scaler/versions/2/state").asText().equals("loading"));
      assertThat(GatedBackendProvider.GATE.waiting()).as("still loading").isEqualTo(1);
    } finally {
      GatedBackendProvider.GATE.release();
    }
    await().atMost(WAIT).until(() -> call(runtime, "infer", request.formatted("after")).payload()
        .path("version").asLong() == 2);
  }

  @Test
  void aRepositoryLackingAModelStartsServingTheRestAndReportsWhatIsMissing() throws Exception {
    repository.scaler("scaler", 1, 2f);
    LocalEdgeRuntime runtime = run("{\"models\": {\"scaler\": {}, \"absent\": {}}}");
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/inference/repositoryError")
        .asText().contains("absent: no such model directory"));
    assertThat(infer("""
        {"model": "scaler", "correlationId": "served", "inputs": {"x": {"shape": [1, 4], "data": [1, 1, 1, 1]}}}""")
        .bodyAsJson().get("status").asText()).isEqualTo("ok");

    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("{\"models\": {\"absent\": null}}"));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/inference/repositoryError")
        .isMissingNode());
  }

  @Test
  void unknownDesiredKeysAreIgnoredAndReportedAndTheRestApplies() throws Exception {
    repository.scaler("scaler", 1, 2f);
    LocalEdgeRuntime runtime = run("{\"models\": {\"scaler\": {}}}");
    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
        {"maxInFlght": 8, "models": {"scaler": {"versionPolicyy": {"latest": 1}}}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/configurationStatus/warnings")
        .size() == 2);
    JsonNode status = runtime.hub().twin("inference").reported().get("configurationStatus");
    assertThat(status.get("status").asText()).isEqualTo("applied");
    assertThat(status.get("warnings").get(0).asText())
        .isEqualTo("/models/scaler/versionPolicyy: unknown key, ignored; did you mean 'versionPolicy'?");
    assertThat(status.get("warnings").get(1).asText())
        .isEqualTo("/maxInFlght: unknown key, ignored; did you mean 'maxInFlight'?");

    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
        {"maxInFlght": null, "models": {"scaler": {"versionPolicyy": null, "versionPolicy": {"latest": 1}}}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/configurationStatus/warnings")
        .isMissingNode());
    assertThat(runtime.hub().twin("inference").reported().at("/configurationStatus/status").asText())
        .isEqualTo("applied");
  }

  @Test
  void aBadDesiredPatchKeepsTheLastGoodConfigurationAndSaysWhy() throws Exception {
    repository.scaler("scaler", 1, 2f);
    LocalEdgeRuntime runtime = run("{\"models\": {\"scaler\": {}}}");
    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("{\"maxInFlight\": 0}"));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/configurationStatus/error")
        .asText().contains("maxInFlight must be 1 to 100000, found 0"));
    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
        {"maxInFlight": 8, "backendOptions": {"intraOpThreads": 2}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/configurationStatus/error")
        .asText().contains("read at start only"));
    runtime.hub().patchDesired("inference", (ObjectNode) JSON.readTree("""
        {"backendOptions": null, "models": {"scaler": {"versionPolicy": {"latest": 0}}}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("inference").reported().at("/configurationStatus/error")
        .asText().contains("versionPolicy.latest must be an integer 1 to 100, found 0"));
    assertThat(infer("""
        {"model": "scaler", "correlationId": "still", "inputs": {"x": {"shape": [1, 4], "data": [1, 1, 1, 1]}}}""")
        .bodyAsJson().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void aNamedBackendThatIsNotThereStopsTheStartListingTheBackendsFound() {
    assertThatThrownBy(() -> run("{\"backend\": \"tensorrt-nosuch\"}"))
        .hasStackTraceContaining("no backend named 'tensorrt-nosuch'")
        .hasStackTraceContaining("onnxruntime-cpu");
  }

  /** The TensorRT backend is on the module's class path; here (no GPU, no TensorRT) its probe says why not. */
  @Test
  void tensorrtNamedWhereItIsUnavailableStopsTheStartWithItsProbesReasons() {
    assertThatThrownBy(() -> run("{\"backend\": \"tensorrt\"}"))
        .hasStackTraceContaining("backend 'tensorrt' is unavailable: no CUDA driver (libcuda.so.1 not found")
        .hasStackTraceContaining("tensorrt (priority 300): unavailable")
        .hasStackTraceContaining("onnxruntime-cpu (priority 100): available");
  }
}
