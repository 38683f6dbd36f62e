package io.edgeai4j.ingestion;

import io.edgeai4j.runtime.testing.RecordingModule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module under {@code edge run}'s runtime: real hub, real routes, real twin, real spill directory. */
class SensorIngestionModuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final RecordingModule probe = new RecordingModule("features", "deadletter", "readings");
  private PrometheusRegistry registry;
  private final List<LocalEdgeRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void stop() {
    runtimes.forEach(LocalEdgeRuntime::close);
  }

  private LocalEdgeRuntime run(String routes, String ingestionTwin) throws Exception {
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "ingestion": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/sensor-ingestion:0.1.0-amd64"},
              "env": {"SPILL_DIRECTORY": {"value": "%s"}, "STATE_DIRECTORY": {"value": "%s"}}},
            "probe": {"type": "docker", "status": "running", "startupOrder": 1,
              "settings": {"image": "test/probe:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "ingestion": {"properties.desired": %s}
        }}
        """.formatted(dir.resolve("spill"), dir.resolve("state"), routes, ingestionTwin);
    return start(manifest, List.of(new SensorIngestionFactory(), probe.factory("probe")));
  }

  /** Starts a manifest with the given modules (null: those on the class path); closed after the test. */
  private LocalEdgeRuntime start(String manifest, List<EdgeModuleFactory> factories) throws Exception {
    registry = new PrometheusRegistry();
    RuntimeOptions.Builder options = RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(registry)
        .drainTimeout(Duration.ofSeconds(5));
    if (factories != null) {
      options.factories(factories);
    }
    LocalEdgeRuntime runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), options.build());
    runtimes.add(runtime);
    return runtime;
  }

  private static final String SIMULATOR_TWIN = """
      {"sources": {"machine": {"type": "simulator", "seed": 11, "sampleRateHz": 5000,
                               "faults": {"bearing": {"kind": "outerRace", "onsetSeconds": 1.5, "growthSeconds": 1}}}},
       "sensors": {"vibration": {"unit": "m/s^2", "window": {"size": 1024, "hop": 512}, "bandCount": 4},
                   "temperature": {"max": 10}},
       "deadLetters": {"intervalMillis": 1000}}""";

  @Test
  void featuresReachAnotherModuleThroughABodyRouteAndInvalidReadingsTheDeadLetterOutput() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"features": "FROM /messages/modules/ingestion/outputs/features WHERE $body.sensor = 'vibration' AND $body.rms > 0 INTO BrokeredEndpoint(\\"/modules/probe/inputs/features\\")",
         "dead": "FROM /messages/modules/ingestion/outputs/deadletter WHERE check = 'range' INTO BrokeredEndpoint(\\"/modules/probe/inputs/deadletter\\")"}""",
        SIMULATOR_TWIN);

    await().atMost(WAIT).until(() -> probe.on("features").size() >= 20 && !probe.on("deadletter").isEmpty());
    EdgeMessage first = probe.on("features").get(0);
    assertThat(first.contentType()).contains("application/json");
    assertThat(first.contentEncoding()).contains("utf-8");
    JsonNode features = first.bodyAsJson();
    assertThat(features.get("samples").asInt()).isEqualTo(1024);
    assertThat(features.get("sampleRateHz").asDouble()).isEqualTo(5000);
    assertThat(features.get("unit").asText()).isEqualTo("m/s^2");
    assertThat(features.get("bands").size()).isEqualTo(4);
    for (String name : List.of("mean", "rms", "peak", "peakToPeak", "crestFactor", "kurtosis", "skewness")) {
      assertThat(features.get(name).isNumber()).as(name).isTrue();
    }
    // 50 % overlap: consecutive windows start 512 samples (102.4 ms) apart.
    Instant start0 = Instant.parse(features.get("windowStart").asText());
    Instant start1 = Instant.parse(probe.on("features").get(1).bodyAsJson().get("windowStart").asText());
    assertThat(Duration.between(start0, start1).toNanos()).isCloseTo(102_400_000L,
        org.assertj.core.data.Offset.offset(1_000L));
    // Ground truth travels with the features, so detection can be scored downstream.
    assertThat(first.property("label")).contains("normal");
    await().atMost(WAIT).until(() -> probe.on("features").stream()
        .anyMatch(m -> m.property("label").orElse("").equals("outerRace")));

    // Dead letters come gathered: one message per sensor and check per second here (deadLetters.intervalMillis).
    EdgeMessage dead = probe.on("deadletter").get(0);
    assertThat(dead.property("sensor")).contains("temperature");
    assertThat(dead.property("reason").orElseThrow()).contains("is above max 10.0");
    JsonNode deadBody = dead.bodyAsJson();
    assertThat(deadBody.get("check").asText()).isEqualTo("range");
    assertThat(deadBody.get("count").asLong()).isPositive();
    assertThat(deadBody.at("/firstExample/value").isNumber()).isTrue();
    assertThat(deadBody.at("/lastExample/reason").asText()).contains("is above max 10.0");
    assertThat(Duration.between(Instant.parse(deadBody.get("intervalStart").asText()),
        Instant.parse(deadBody.get("intervalEnd").asText()))).isEqualTo(Duration.ofSeconds(1));

    JsonNode reported = runtime.hub().twin("ingestion").reported();
    assertThat(reported.at("/ingestion/sources/machine/state").asText()).isEqualTo("connected");
    assertThat(reported.at("/ingestion/effectiveConfiguration/sensors/vibration/window/hop").asInt()).isEqualTo(512);
    assertThat(metric("edgeai4j_ingestion_dead_letters_total")).isPositive();
  }

  @Test
  void aDesiredPatchReconfiguresTheRunningModuleAndABadOneKeepsTheLastGoodConfiguration() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"features": "FROM /messages/modules/ingestion/outputs/features INTO BrokeredEndpoint(\\"/modules/probe/inputs/features\\")"}""",
        SIMULATOR_TWIN);
    await().atMost(WAIT).until(() -> !probe.on("features").isEmpty());

    runtime.hub().patchDesired("ingestion", (ObjectNode) JSON.readTree("""
        {"sensors": {"vibration": {"window": {"size": 2048, "hop": 2048}, "bandCount": 2}}}"""));
    await().atMost(WAIT).until(() -> last(probe.on("features")).bodyAsJson().get("samples").asInt() == 2048);
    JsonNode reconfigured = last(probe.on("features")).bodyAsJson();
    assertThat(reconfigured.get("bands").size()).isEqualTo(2);
    await().atMost(WAIT).until(() -> runtime.hub().twin("ingestion").reported()
        .at("/ingestion/effectiveConfiguration/sensors/vibration/window/size").asInt() == 2048);
    // The source kept running: its settings did not change.
    JsonNode source = runtime.hub().twin("ingestion").reported().at("/ingestion/sources/machine");
    assertThat(source.get("state").asText()).isEqualTo("connected");

    runtime.hub().patchDesired("ingestion", (ObjectNode) JSON.readTree("""
        {"sensors": {"vibration": {"window": {"size": 512, "hop": 1024}}}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("ingestion").reported().at("/configurationStatus/error")
        .asText().contains("window hop must be 1 to the window size 512, found 1024"));
    assertThat(runtime.hub().twin("ingestion").reported().at("/configurationStatus/error").asText())
        .contains("sensors");
    int before = probe.on("features").size();
    await().atMost(WAIT).until(() -> probe.on("features").size() > before + 3);
    assertThat(last(probe.on("features")).bodyAsJson().get("samples").asInt()).isEqualTo(2048);

    // The desired document is merged: this patch mends the window and breaks the source.
    runtime.hub().patchDesired("ingestion", (ObjectNode) JSON.readTree("""
        {"sensors": {"vibration": {"window": {"size": 2048, "hop": 2048}}},
         "sources": {"machine": {"type": "modbus-rtu"}}}"""));
    await().atMost(WAIT).until(() -> runtime.hub().twin("ingestion").reported().at("/configurationStatus/error")
        .asText().contains("sources.machine.type: no source plug-in of type 'modbus-rtu'"));
  }

  @Test
  void unknownKeysInTheModulesSectionsAndInASourcesSettingsAreIgnoredAndReported() throws Exception {
    // A deployment that names keys this image does not know yet: a typo, a newer plug-in's setting.
    LocalEdgeRuntime runtime = run("""
        {"features": "FROM /messages/modules/ingestion/outputs/features INTO BrokeredEndpoint(\\"/modules/probe/inputs/features\\")"}""",
        """
        {"sources": {"machine": {"type": "simulator", "seed": 11, "sampleRateHz": 5000, "sed": 12,
                                 "vibration": {"noiseFloor": 0.1}}},
         "sensors": {"vibration": {"unit": "m/s^2", "window": {"size": 1024, "hop": 512}, "windw": {"size": 4}}},
         "compression": "gzip"}""");
    await().atMost(WAIT).until(() -> !probe.on("features").isEmpty());
    JsonNode status = runtime.hub().twin("ingestion").reported().get("configurationStatus");
    assertThat(status.get("status").asText()).isEqualTo("applied");
    List<String> warnings = new ArrayList<>();
    status.get("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings).as("in document order").containsExactly(
        "/sources/machine/sed: unknown key, ignored; did you mean 'seed'?",
        "/sources/machine/vibration/noiseFloor: unknown key, ignored",
        "/sensors/vibration/windw: unknown key, ignored; did you mean 'window'?",
        "/compression: unknown key, ignored");

    // A later valid patch applies; the warnings follow the document until the keys are gone.
    runtime.hub().patchDesired("ingestion", (ObjectNode) JSON.readTree("""
        {"sensors": {"vibration": {"window": {"size": 2048, "hop": 2048}, "windw": null}}, "compression": null,
         "sources": {"machine": {"sed": null, "vibration": null}}}"""));
    await().atMost(WAIT).until(() -> last(probe.on("features")).bodyAsJson().get("samples").asInt() == 2048);
    await().atMost(WAIT).until(() -> !runtime.hub().twin("ingestion").reported().get("configurationStatus")
        .has("warnings"));
    assertThat(runtime.hub().twin("ingestion").reported().at("/configurationStatus/status").asText())
        .isEqualTo("applied");
  }

  @Test
  void readingsProducedWhileTheLinkIsCutAllArriveInOrderOnceItIsRestored() throws Exception {
    int count = 3000;
    StringBuilder recording = new StringBuilder();
    for (int i = 0; i < count; i++) {
      recording.append("{\"timestamp\": ").append(1_795_860_000_000L + i).append(", \"sensor\": \"flow\", \"value\": ")
          .append(i).append("}\n");
    }
    Path file = Files.writeString(dir.resolve("flow.jsonl"), recording);
    // 3 s recorded at speed 2: 1.5 s of production, most of it while the link is cut.
    LocalEdgeRuntime runtime = run("""
        {"readings": "FROM /messages/modules/ingestion/outputs/readings INTO BrokeredEndpoint(\\"/modules/probe/inputs/readings\\")"}""",
        """
        {"sources": {"recorded": {"type": "replay", "file": "%s", "speed": 2}},
         "delivery": {"memoryQueueMessages": 50}}""".formatted(file));
    runtime.hub().cutLink("ingestion");
    await().atMost(WAIT).until(() -> metric("edgeai4j_ingestion_samples_total") == count);
    assertThat(metric("edgeai4j_ingestion_spill_messages")).isPositive();
    int beforeRestore = probe.on("readings").size();
    assertThat(beforeRestore).isLessThan(count);

    runtime.hub().restoreLink("ingestion");
    await().atMost(WAIT).until(() -> probe.on("readings").size() >= count);
    List<Integer> values = probe.on("readings").stream().map(m -> m.bodyAsJson().get("value").asInt()).toList();
    assertThat(values).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(values.get(i)).as("reading %d", i).isEqualTo(i);
    }
    await().atMost(WAIT).until(() -> metric("edgeai4j_ingestion_spill_messages") == 0);
    assertThat(metric("edgeai4j_ingestion_spill_dropped_total")).isZero();
    assertThat(metric("edgeai4j_ingestion_send_failures_total")).isPositive();
    await().atMost(WAIT).until(() -> runtime.hub().twin("ingestion").reported()
        .at("/ingestion/delivery/sent").asLong() >= count);
  }

  @Test
  void deadLettersGatheredForAnHourAreSentWhenTheModuleStops() throws Exception {
    StringBuilder recording = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      recording.append("{\"timestamp\": ").append(1_795_860_000_000L + i * 100L)
          .append(", \"sensor\": \"flow\", \"value\": ").append(100 + i).append("}\n");
    }
    Path file = Files.writeString(dir.resolve("flow.jsonl"), recording);
    LocalEdgeRuntime runtime = run("""
        {"dead": "FROM /messages/modules/ingestion/outputs/deadletter INTO $upstream"}""", """
        {"sources": {"recorded": {"type": "replay", "file": "%s", "speed": 100}},
         "sensors": {"flow": {"max": 10}},
         "deadLetters": {"intervalMillis": 3600000}}""".formatted(file));
    await().atMost(WAIT).until(() -> metric("edgeai4j_ingestion_dead_letters_total") == 50);
    assertThat(metric("edgeai4j_ingestion_dead_letter_messages_total")).isZero();

    runtime.close();
    List<JsonNode> dead = Files.readAllLines(dir.resolve("upstream.jsonl")).stream()
        .map(SensorIngestionModuleTest::json)
        .filter(line -> line.get("source").asText().contains("/outputs/deadletter")).toList();
    assertThat(dead).hasSize(1);
    JsonNode body = dead.get(0).get("body");
    assertThat(body.get("count").asInt()).isEqualTo(50);
    assertThat(body.at("/firstExample/value").asInt()).isEqualTo(100);
    assertThat(body.at("/lastExample/value").asInt()).isEqualTo(149);
    assertThat(Duration.between(Instant.parse(body.get("intervalStart").asText()),
        Instant.parse(body.get("intervalEnd").asText()))).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aModuleThatFailsToStartReleasesItsSpillDirectoryForTheNextStart() throws Exception {
    assertThatThrownBy(() -> run("{}", "{\"sensors\": {\"v\": {\"window\": {\"size\": 1}}}}"))
        .hasMessageContaining("ingestion")
        .hasStackTraceContaining("window size must be 2 to 65536 samples, found 1");
    runtimes.forEach(LocalEdgeRuntime::close);
    runtimes.clear();
    LocalEdgeRuntime runtime = run("{}", "{}");
    await().atMost(WAIT).until(() -> runtime.hub().twin("ingestion").reported().at("/ingestion/delivery").isObject());
  }

  @Test
  void theShippedLocalPipelineTurnsABearingFaultIntoAlarmsUpstream() throws Exception {
    String manifest = withOwnDirectories(Files.readString(Path.of("../../deployment-manifests/local-pipeline.json"))
        .replace("\"onsetSeconds\": 10", "\"onsetSeconds\": 2"));
    start(manifest, null);
    // The spill buffer is this test's own, not the default under java.io.tmpdir that another build may hold.
    assertThat(dir.resolve("spill")).isDirectoryContaining(path -> true);
    // Features pass the $body route to the threshold filter, whose kurtosis alarms go upstream with the label.
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(dir.resolve("upstream.jsonl")).stream()
        .map(SensorIngestionModuleTest::json)
        .anyMatch(line -> line.get("source").asText().equals("/messages/modules/bearingAlarm/outputs/alerts/")
            && line.at("/properties/label").asText().equals("outerRace")
            && line.at("/body/kurtosis").asDouble() > 3));
    assertThat(Files.readAllLines(dir.resolve("upstream.jsonl")).stream().map(SensorIngestionModuleTest::json)
        .filter(line -> line.get("source").asText().equals("/messages/modules/bearingAlarm/outputs/alerts/")))
        .allSatisfy(line -> assertThat(line.at("/properties/label").asText()).isEqualTo("outerRace"));
  }

  /**
   * The shipped manifest with the ingestion module's {@code SPILL_DIRECTORY} and {@code STATE_DIRECTORY} in this
   * test's directory: the manifest names none, and the defaults under {@code java.io.tmpdir} are shared by every
   * build on the machine (a second build running at once finds the spill buffer locked).
   */
  private String withOwnDirectories(String manifest) throws java.io.IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(manifest);
    ObjectNode env = ((ObjectNode) root.at("/modulesContent/$edgeAgent/properties.desired/modules/ingestion"))
        .putObject("env");
    env.putObject(SensorIngestionModule.SPILL_DIRECTORY_ENV).put("value", dir.resolve("spill").toString());
    env.putObject(SensorIngestionModule.STATE_DIRECTORY_ENV).put("value", dir.resolve("state").toString());
    return JSON.writeValueAsString(root);
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static EdgeMessage last(List<EdgeMessage> messages) {
    return messages.get(messages.size() - 1);
  }

  private double metric(String name) {
    double sum = 0;
    for (MetricSnapshot snapshot : registry.scrape()) {
      String snapshotName = snapshot.getMetadata().getPrometheusName();
      if (!name.equals(snapshotName) && !name.equals(snapshotName + "_total")) {
        continue;
      }
      if (snapshot instanceof CounterSnapshot counter) {
        sum += counter.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      } else if (snapshot instanceof GaugeSnapshot gauge) {
        sum += gauge.getDataPoints().stream().mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).sum();
      }
    }
    return sum;
  }
}
