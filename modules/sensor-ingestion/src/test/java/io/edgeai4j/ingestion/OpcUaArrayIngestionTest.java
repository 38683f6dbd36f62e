package io.edgeai4j.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.ingestion.opcua.TestOpcUaServer;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OPC UA array node feeds the windows and spectra: the module under {@code edge run}'s runtime, its
 * OPC UA source subscribed to a real Milo server on 127.0.0.1 whose Machine/Vibration node carries one
 * second of a 10.5 Hz sine (100 samples) per value.
 */
class OpcUaArrayIngestionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final RecordingModule probe = new RecordingModule("features", "deadletter");
  private TestOpcUaServer server;
  private LocalEdgeRuntime runtime;

  @AfterEach
  void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void arraysFromAnOpcUaNodeBecomeWindowsWithFeaturesAndSpectraAndArraysWithoutARateDeadLetters() throws Exception {
    server = TestOpcUaServer.start(dir.resolve("server-pki"));
    String twin = """
        {"sources": {"press": {"type": "opcua", "endpoint": "%s", "securityPolicy": "None",
                               "publishingIntervalMillis": 100,
                               "nodes": {"vibration": {"nodeId": "ns=2;s=Machine/Vibration", "samplingIntervalMillis": 10,
                                                       "unit": "mm/s"},
                                         "unrated": {"nodeId": "ns=2;s=Machine/Vibration"},
                                         "grid": {"nodeId": "ns=2;s=Machine/Matrix"}}}},
         "sensors": {"vibration": {"unit": "mm/s", "sampleRateHz": 100, "window": {"size": 200, "hop": 100},
                                   "bands": {"low": {"lowHz": 0, "highHz": 8}, "tone": {"lowHz": 8, "highHz": 13},
                                             "high": {"lowHz": 13, "highHz": 50}}},
                     "grid": {"sampleRateHz": 6}},
         "deadLetters": {"intervalMillis": 1000}}""".formatted(server.endpointUrl());
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "ingestion": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/sensor-ingestion:0.1.0-amd64"},
              "env": {"SPILL_DIRECTORY": {"value": "%s"}, "STATE_DIRECTORY": {"value": "%s"}}},
            "probe": {"type": "docker", "status": "running", "startupOrder": 1,
              "settings": {"image": "test/probe:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {
            "features": "FROM /messages/modules/ingestion/outputs/features INTO BrokeredEndpoint(\\"/modules/probe/inputs/features\\")",
            "dead": "FROM /messages/modules/ingestion/outputs/deadletter INTO BrokeredEndpoint(\\"/modules/probe/inputs/deadletter\\")"},
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "ingestion": {"properties.desired": %s}
        }}
        """.formatted(dir.resolve("spill"), dir.resolve("state"), twin);
    runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(5))
        .factories(List.of(new SensorIngestionFactory(), probe.factory("probe")))
        .build());

    await().atMost(WAIT).until(() -> probe.on("features").size() >= 3 && deadLetters("unrated") > 0
        && deadLetters("grid") > 0);

    for (EdgeMessage message : probe.on("features")) {
      JsonNode features = message.bodyAsJson();
      assertThat(features.get("sensor").asText()).isEqualTo("vibration");
      assertThat(features.get("source").asText()).isEqualTo("press");
      assertThat(features.get("samples").asInt()).isEqualTo(200);
      assertThat(features.get("sampleRateHz").asDouble()).isEqualTo(100);
      assertThat(features.get("unit").asText()).isEqualTo("mm/s");
      // Two blocks of one second each, contiguous: the window starts at a block's source timestamp.
      Instant start = Instant.parse(features.get("windowStart").asText());
      Instant end = Instant.parse(features.get("windowEnd").asText());
      assertThat(start.getNano()).isZero();
      assertThat(Duration.between(start, end)).isEqualTo(Duration.ofMillis(1990));
      // A unit sine: rms 1/sqrt(2), and its energy in the band around 10.5 Hz.
      assertThat(features.get("rms").asDouble()).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-3));
      JsonNode bands = features.get("bands");
      assertThat(bands.get("tone").asDouble()).isGreaterThan(100 * bands.get("low").asDouble())
          .isGreaterThan(100 * bands.get("high").asDouble());
      assertThat(message.property("opcuaTimestampSource")).contains("source");
    }

    EdgeMessage unrated = firstDeadLetter("unrated");
    assertThat(unrated.property("check")).contains("missing");
    assertThat(unrated.property("reason").orElseThrow()).contains(
        "an array of 100 samples needs a sample rate to become a block; set sensors.unrated.sampleRateHz in the module"
            + " twin");
    assertThat(firstDeadLetter("grid").property("reason").orElseThrow()).contains("a matrix of 2x3 values");
  }

  private long deadLetters(String sensor) {
    return probe.on("deadletter").stream().filter(m -> m.property("sensor").orElse("").equals(sensor)).count();
  }

  private EdgeMessage firstDeadLetter(String sensor) {
    return probe.on("deadletter").stream().filter(m -> m.property("sensor").orElse("").equals(sensor)).findFirst()
        .orElseThrow();
  }
}
