package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.module.partition.ActivationChunks;
import io.edgeai4j.inference.module.partition.ActivationCodec;
import io.edgeai4j.inference.serving.ActivationEncoding;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model split in two, run by two inference modules chained by a route under the local runtime (real hub, routes,
 * twins, ONNX Runtime): {@code device} serves {@code conv-part-0}, {@code node} serves {@code conv-part-1} and, for
 * reference, the unsplit {@code conv}.
 */
class SplitModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int LENGTH = 4096;
  private static final int CHANNELS = 16;
  private static final String ROUTES = """
      {"infer": "FROM /messages/modules/driver/outputs/infer INTO BrokeredEndpoint(\\"/modules/device/inputs/infer\\")",
       "windows": "FROM /messages/modules/driver/outputs/windows INTO BrokeredEndpoint(\\"/modules/device/inputs/windows\\")",
       "reference": "FROM /messages/modules/driver/outputs/reference INTO BrokeredEndpoint(\\"/modules/node/inputs/infer\\")",
       "chunks": "FROM /messages/modules/driver/outputs/chunks INTO BrokeredEndpoint(\\"/modules/node/inputs/activations\\")",
       "split": "FROM /messages/modules/device/outputs/activations INTO BrokeredEndpoint(\\"/modules/node/inputs/activations\\")",
       "tap": "FROM /messages/modules/device/outputs/activations INTO BrokeredEndpoint(\\"/modules/driver/inputs/activations\\")",
       "deviceResults": "FROM /messages/modules/device/outputs/results INTO BrokeredEndpoint(\\"/modules/driver/inputs/results\\")",
       "nodeResults": "FROM /messages/modules/node/outputs/results INTO BrokeredEndpoint(\\"/modules/driver/inputs/results\\")",
       "deviceAlerts": "FROM /messages/modules/device/outputs/alert INTO BrokeredEndpoint(\\"/modules/driver/inputs/alert\\")",
       "nodeAlerts": "FROM /messages/modules/node/outputs/alert INTO BrokeredEndpoint(\\"/modules/driver/inputs/alert\\")"}""";

  @TempDir Path dir;
  private final RecordingModule driver = new RecordingModule("results", "alert", "activations");
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SplitConvModel model = new SplitConvModel(LENGTH, CHANNELS, 5, 7);
  private LocalEdgeRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private void start(String encoding, String deviceExtra, String nodeExtra) throws Exception {
    Path repository = dir.resolve("models");
    model.write(repository, encoding);
    String device = """
        {"repository": "%s", "models": {"conv-part-0": {}}%s}""".formatted(repository, deviceExtra);
    String node = """
        {"repository": "%s", "models": {"conv-part-1": {}, "conv": {}}%s}""".formatted(repository, nodeExtra);
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "device": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64"}},
            "node": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64"}},
            "driver": {"type": "docker", "status": "running", "startupOrder": 1,
              "settings": {"image": "test/driver:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "device": {"properties.desired": %s},
          "node": {"properties.desired": %s}
        }}
        """.formatted(ROUTES, device, node);
    RuntimeOptions options = RuntimeOptions.builder().upstreamFile(dir.resolve("upstream.jsonl")).console(null)
        .adminPort(0).metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).registry(registry)
        .drainTimeout(Duration.ofSeconds(5))
        .factories(List.of(new InferenceModuleFactory(), driver.factory("driver"))).build();
    runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), options);
  }

  private static String inferBody(String model, String correlationId, float[] x) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("correlationId", correlationId);
    ObjectNode t = body.putObject("inputs").putObject("x");
    t.putArray("shape").add(1).add(1).add(x.length);
    ArrayNode data = t.putArray("data");
    for (float v : x) {
      data.add(v);
    }
    return body.toString();
  }

  private EdgeMessage result(String correlationId) {
    return await().atMost(WAIT).until(() -> driver.on("results").stream()
        .filter(m -> m.correlationId().orElse("").equals(correlationId)).findFirst(), Optional::isPresent).get();
  }

  private long resultsFor(String correlationId) {
    return driver.on("results").stream().filter(m -> m.correlationId().orElse("").equals(correlationId)).count();
  }

  private static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).floatValue();
    }
    return v;
  }

  /** The sum over the series of a counter family (name without _total) whose labels include the pairs given. */
  private double counter(String name, String... labelPairs) {
    double sum = 0;
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (!snapshot.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot p : snapshot.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          match &= labelPairs[i + 1].equals(p.getLabels().get(labelPairs[i]));
        }
        if (match && p instanceof CounterDataPointSnapshot c) {
          sum += c.getValue();
        }
      }
    }
    return sum;
  }

  /**
   * The tolerance of each encoding, from the bound of {@link SplitConvModel#probabilityBound}: float32 travels exactly
   * (0); float16 rounds each element of act0 by at most half an ulp, 2^-11 of its magnitude, itself at most s0;
   * int8 (uint8 with the range [0, max] of a Relu output) by at most half a step, s0 / 255 / 2.
   */
  private double tolerance(String encoding) {
    return switch (encoding) {
      case "float32" -> 0;
      case "float16" -> model.probabilityBound(model.s0() * 0x1p-11);
      default -> model.probabilityBound(model.s0() / 255 / 2);
    };
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"float32, 2", "float16, 1", "int8, 1"})
  void twoModulesChainedByARouteAnswerAsTheUnsplitModel(String encoding, int chunks) throws Exception {
    start(encoding, "", "");
    float[] x = SplitConvModel.window(LENGTH, 3);

    // The device does not serve "conv": a request for it runs its part 0, whose activations go to the node.
    driver.send("infer", EdgeMessage.builder().jsonBody(inferBody("conv", "split-1", x)).property("label", "truth")
        .property("sentAt", "2026-12-07T10:00:00Z").build());
    driver.send("reference", EdgeMessage.builder().jsonBody(inferBody("conv", "unsplit-1", x))
        .property("label", "truth").property("sentAt", "2026-12-07T10:00:00Z").build());
    EdgeMessage split = result("split-1");
    EdgeMessage unsplit = result("unsplit-1");

    JsonNode s = split.bodyAsJson();
    JsonNode u = unsplit.bodyAsJson();
    assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("ok");
    assertThat(s.get("model").asText()).isEqualTo("conv");
    assertThat(split.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).contains("node");
    assertThat(split.properties()).containsEntry("label", "truth").containsEntry("sentAt", "2026-12-07T10:00:00Z")
        .containsEntry("model", "conv").containsEntry("status", "ok").doesNotContainKeys("activationSet",
            "chunkIndex", "chunkCount");
    assertThat(split.properties().keySet()).isEqualTo(unsplit.properties().keySet());
    assertThat(s.at("/outputs/y/shape")).isEqualTo(u.at("/outputs/y/shape"));
    float[] ys = floats(s.at("/outputs/y/data"));
    float[] yu = floats(u.at("/outputs/y/data"));
    double tolerance = tolerance(encoding);
    assertThat(tolerance).as("the bound is tight enough to mean something").isLessThan(0.05);
    for (int i = 0; i < ys.length; i++) {
      assertThat((double) Math.abs(ys[i] - yu[i])).as("y[%d]: split %s, unsplit %s", i, ys[i], yu[i])
          .isLessThanOrEqualTo(tolerance);
    }
    if (encoding.equals("float32")) {
      assertThat(ys).containsExactly(yu);
      assertThat(s.get("label").asText()).isEqualTo(u.get("label").asText());
      assertThat(s.get("confidence").asDouble()).isEqualTo(u.get("confidence").asDouble());
    }

    // The activations: the chunks the device sent (a copy routed to the driver), each within edgeHub's limit.
    List<EdgeMessage> sent = await().atMost(WAIT).until(() -> driver.on("activations"), l -> l.size() == chunks);
    for (EdgeMessage chunk : sent) {
      assertThat(chunk.sizeInBytes()).isLessThanOrEqualTo(ActivationChunks.MESSAGE_LIMIT);
      assertThat(chunk.properties()).containsEntry("model", "conv-part-1").containsEntry("chunkCount",
          Integer.toString(chunks)).containsEntry("label", "truth");
      assertThat(chunk.correlationId()).contains("split-1");
    }
    int bytesPerElement = encoding.equals("float32") ? 4 : encoding.equals("float16") ? 2 : 1;
    long payload = sent.stream().mapToLong(EdgeMessage::bodyLength).sum();
    assertThat(payload).isBetween((long) CHANNELS * LENGTH * bytesPerElement,
        (long) CHANNELS * LENGTH * bytesPerElement + 512);
    assertThat(counter("edgeai4j_inference_activation_chunks", "module", "device", "direction", "sent"))
        .isEqualTo(chunks);
    await().atMost(WAIT).until(() -> counter("edgeai4j_inference_activation_chunks", "module", "node", "direction",
        "received") == chunks);
    assertThat(counter("edgeai4j_inference_activation_bytes", "module", "node", "direction", "received"))
        .isEqualTo(payload);
    // Nothing on results from the device for a forwarded request: one answer, the node's.
    assertThat(resultsFor("split-1")).isEqualTo(1);
  }

  @Test
  void aWindowsMessageRunsTheSplitModelAndAlertsAsTheUnsplitModelWould() throws Exception {
    start("float32", ", \"windows\": {\"vibration\": {\"model\": \"conv\", \"minConfidence\": 0.1}}", "");
    float[] x = SplitConvModel.window(LENGTH, 11);
    ObjectNode window = JSON.createObjectNode().put("sensor", "vibration").put("source", "pump")
        .put("unit", "g").put("windowStart", "2026-12-07T10:00:00Z").put("windowEnd", "2026-12-07T10:00:01Z")
        .put("sampleRateHz", 4096);
    ArrayNode values = window.putArray("values");
    for (float v : x) {
      values.add(v);
    }
    driver.send("windows", EdgeMessage.builder().jsonBody(window.toString()).correlationId("w-1")
        .property("sensor", "vibration").property("label", "outerRace").build());
    driver.send("reference", EdgeMessage.builder().jsonBody(inferBody("conv", "w-ref", x)).build());

    JsonNode result = result("w-1").bodyAsJson();
    JsonNode reference = result("w-ref").bodyAsJson();
    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("ok");
    assertThat(result.get("model").asText()).isEqualTo("conv");
    assertThat(result.get("sensor").asText()).isEqualTo("vibration");
    assertThat(floats(result.at("/outputs/y/data"))).containsExactly(floats(reference.at("/outputs/y/data")));
    assertThat(result.get("label").asText()).isEqualTo(reference.get("label").asText()).isNotEqualTo("normal");
    EdgeMessage alert = await().atMost(WAIT).until(() -> driver.on("alert"), l -> !l.isEmpty()).get(0);
    JsonNode a = alert.bodyAsJson();
    assertThat(a.get("sensor").asText()).isEqualTo("vibration");
    assertThat(a.get("source").asText()).isEqualTo("pump");
    assertThat(a.get("windowStart").asText()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(a.get("windowEnd").asText()).isEqualTo("2026-12-07T10:00:01Z");
    assertThat(a.get("prediction").asText()).isEqualTo(reference.get("label").asText());
    assertThat(a.get("model").asText()).isEqualTo("conv");
    assertThat(alert.properties()).containsEntry("label", "outerRace").containsEntry("prediction",
        reference.get("label").asText());
    // As the unsplit model's alert: no chunk property (not even the next part's "model") comes along.
    assertThat(alert.properties()).doesNotContainKeys("model", "activationSet", "chunkIndex", "chunkCount");

    // The models method lists the part's partition and windowInput.
    JsonNode listed = runtime.hub().invokeMethod("device", "models", JSON.createObjectNode(), WAIT).payload();
    assertThat(listed.at("/models/0/descriptor/partition").toString()).isEqualTo("{\"model\":\"conv\",\"part\":0,"
        + "\"parts\":2,\"next\":\"conv-part-1\",\"activationEncoding\":\"float32\"}");
    assertThat(listed.at("/models/0/descriptor/windowInput/length").asInt()).isEqualTo(LENGTH);

    // A window of another length is refused by the device, naming both counts.
    window.putArray("values").add(1).add(2).add(3);
    driver.send("windows", EdgeMessage.builder().jsonBody(window.toString()).correlationId("w-short")
        .property("sensor", "vibration").build());
    JsonNode refused = result("w-short").bodyAsJson();
    assertThat(refused.at("/error/kind").asText()).isEqualTo("bad_request");
    assertThat(refused.at("/error/message").asText()).contains("'values' holds 3 samples, the model's"
        + " windowInput.length is " + LENGTH);
    // A sensor with no windows mapping.
    driver.send("windows", EdgeMessage.builder().jsonBody(window.put("sensor", "spindle").toString())
        .correlationId("w-unmapped").property("sensor", "spindle").build());
    assertThat(result("w-unmapped").bodyAsJson().at("/error/message").asText())
        .contains("windows message of sensor 'spindle': no model is mapped to it");
  }

  /** The chunks of a set of activations for conv-part-1, as a sender would make them. */
  private static List<EdgeMessage> chunks(String set, String correlationId, byte[] payload) {
    return ActivationChunks.split(payload, "conv-part-1", set, Map.of("label", "l-" + set), correlationId);
  }

  private static byte[] payload(long seed) {
    float[] act = SplitConvModel.window(CHANNELS * LENGTH, seed);
    for (int i = 0; i < act.length; i++) {
      act[i] = Math.abs(act[i]);
    }
    return ActivationCodec.encode(List.of(Tensor.ofFloats("act0", new long[] {1, CHANNELS, LENGTH}, act)),
        ActivationEncoding.FLOAT32, "{\"input\": \"infer\", \"outputEncoding\": \"json\"}").payload();
  }

  @Test
  void chunksOutOfOrderDuplicatedLostOrCorruptAreReassembledOrAnsweredAndCounted() throws Exception {
    start("float32", "", ", \"activations\": {\"reassemblyTimeoutMillis\": 300, \"maxPendingSets\": 1}");
    byte[] payload = payload(5);

    List<EdgeMessage> a = chunks("a", "c-a", payload);
    assertThat(a).hasSize(2);
    driver.send("chunks", a.get(0));
    driver.send("chunks", a.get(1));
    JsonNode inOrder = result("c-a").bodyAsJson();
    assertThat(inOrder.get("status").asText()).as(inOrder.toString()).isEqualTo("ok");
    assertThat(inOrder.get("model").asText()).isEqualTo("conv");

    List<EdgeMessage> b = chunks("b", "c-b", payload);
    driver.send("chunks", b.get(1));
    driver.send("chunks", b.get(1));
    driver.send("chunks", b.get(0));
    driver.send("chunks", b.get(0));
    JsonNode reordered = result("c-b").bodyAsJson();
    assertThat(reordered.at("/outputs/y")).isEqualTo(inOrder.at("/outputs/y"));
    await().atMost(WAIT).until(() -> counter("edgeai4j_inference_activation_duplicate_chunks", "module", "node")
        == 2);
    assertThat(resultsFor("c-b")).isEqualTo(1);

    // Lost: chunk 1 of set c never comes; after the timeout the set is answered and counted.
    driver.send("chunks", chunks("c", "c-c", payload).get(0));
    EdgeMessage lost = result("c-c");
    assertThat(lost.bodyAsJson().at("/error/kind").asText()).isEqualTo("incomplete_activations");
    assertThat(lost.bodyAsJson().at("/error/message").asText()).contains("activations set c from local-edge-device/driver")
        .contains("received chunks [0] of 2, missing [1]").contains("activations.reassemblyTimeoutMillis");
    assertThat(lost.properties()).containsEntry("label", "l-c").containsEntry("errorKind", "incomplete_activations");
    assertThat(counter("edgeai4j_inference_activation_sets_dropped", "module", "node", "reason", "timeout"))
        .isEqualTo(1);

    // Overflow: over maxPendingSets (1), the oldest incomplete set is dropped, answered and counted.
    List<EdgeMessage> e = chunks("e", "c-e", payload);
    driver.send("chunks", chunks("d", "c-d", payload).get(1));
    driver.send("chunks", e.get(0));
    driver.send("chunks", e.get(1));
    assertThat(result("c-e").bodyAsJson().get("status").asText()).isEqualTo("ok");
    JsonNode overflow = result("c-d").bodyAsJson();
    assertThat(overflow.at("/error/kind").asText()).isEqualTo("incomplete_activations");
    assertThat(overflow.at("/error/message").asText()).contains("received chunks [1] of 2, missing [0]")
        .contains("activations.maxPendingSets");
    assertThat(counter("edgeai4j_inference_activation_sets_dropped", "module", "node", "reason", "overflow"))
        .isEqualTo(1);

    // Corrupt: a byte of the data flipped on the way; refused with the checksum, counted.
    byte[] damaged = payload.clone();
    damaged[damaged.length / 2] ^= 1;
    for (EdgeMessage chunk : chunks("f", "c-f", damaged)) {
      driver.send("chunks", chunk);
    }
    JsonNode corrupt = result("c-f").bodyAsJson();
    assertThat(corrupt.at("/error/kind").asText()).isEqualTo("bad_request");
    assertThat(corrupt.at("/error/message").asText()).contains("activations set f from local-edge-device/driver")
        .contains("is damaged: its CRC-32C is");
    assertThat(counter("edgeai4j_inference_activation_sets_dropped", "module", "node", "reason", "corrupt"))
        .isEqualTo(1);

    // A set for a model that is not a later part of a split model.
    for (EdgeMessage chunk : ActivationChunks.split(payload, "conv", "g", Map.of(), "c-g")) {
      driver.send("chunks", chunk);
    }
    assertThat(result("c-g").bodyAsJson().at("/error/message").asText()).contains("model 'conv' (property 'model'"
        + " of the activations) is not a later part of a split model: its model.json has no partition block");
  }
}
