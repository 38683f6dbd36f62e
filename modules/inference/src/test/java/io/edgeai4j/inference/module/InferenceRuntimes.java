package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts the inference module beside a recording driver module under the local runtime, for the module's tests. */
final class InferenceRuntimes {
  private InferenceRuntimes() {}

  /**
   * Starts a runtime: the inference module with {@code desired} as its desired properties, the driver (started
   * first), the routes given. The caller closes it.
   *
   * @param routes The {@code $edgeHub} routes object, as JSON text.
   */
  static LocalEdgeRuntime start(Path dir, String routes, JsonNode desired, RecordingModule driver,
      PrometheusRegistry registry) throws Exception {
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "inference": {"type": "docker", "status": "running", "startupOrder": 2,
              "settings": {"image": "myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64"}},
            "driver": {"type": "docker", "status": "running", "startupOrder": 1,
              "settings": {"image": "test/driver:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "inference": {"properties.desired": %s}
        }}
        """.formatted(routes, desired);
    RuntimeOptions options = RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(registry)
        .drainTimeout(Duration.ofSeconds(5))
        .factories(List.of(new InferenceModuleFactory(), driver.factory("driver")))
        .build();
    return LocalEdgeRuntime.start(ManifestParser.parse(manifest), options);
  }
}
