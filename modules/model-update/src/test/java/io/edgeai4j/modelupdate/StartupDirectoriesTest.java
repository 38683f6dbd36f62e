package io.edgeai4j.modelupdate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.module.DirectoryNotWritableException;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The module checks at start that it can write the model repository and its state directory, and does not start
 * when it cannot, naming the directory and its setting (a path through a regular file: it fails for root too).
 */
class StartupDirectoriesTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} through a file")
  @CsvSource(textBlock = """
      MODEL_REPOSITORY, the model repository (MODEL_REPOSITORY)
      STATE_DIRECTORY, 'the state, downloads and staging (STATE_DIRECTORY)'
      """)
  void aDirectoryItCannotCreateStopsTheStart(String variable, String purpose) throws Exception {
    Files.writeString(dir.resolve("file"), "not a directory");
    Path broken = dir.resolve("file/" + variable.toLowerCase());
    Path repository = variable.equals("MODEL_REPOSITORY") ? broken : dir.resolve("models");
    Path state = variable.equals("STATE_DIRECTORY") ? broken : dir.resolve("state");
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "model-update": {"type": "docker", "status": "running",
              "settings": {"image": "myacr.azurecr.io/edgeai4j/model-update:0.1.0-amd64"},
              "env": {"MODEL_REPOSITORY": {"value": "%s"}, "STATE_DIRECTORY": {"value": "%s"}}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {},
            "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}
        }}
        """.formatted(repository, state);
    RuntimeOptions options = RuntimeOptions.builder().upstreamFile(dir.resolve("upstream.jsonl")).console(null)
        .adminPort(0).metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(new PrometheusRegistry()).factories(List.of(new ModelUpdateModuleFactory())).build();

    assertThatThrownBy(() -> LocalEdgeRuntime.start(ManifestParser.parse(manifest), options).close())
        .isInstanceOf(RuntimeStartException.class)
        .hasMessageContaining("Directory " + broken + " (" + purpose + ") cannot be created: " + dir.resolve("file")
            + ", on its path, is not a directory")
        .hasRootCauseInstanceOf(DirectoryNotWritableException.class);
  }
}
