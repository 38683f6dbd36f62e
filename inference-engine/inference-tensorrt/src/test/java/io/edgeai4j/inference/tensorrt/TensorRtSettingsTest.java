package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.BackendOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorRtSettingsTest {
  private static final Path HOME = Path.of("/home/edge");

  @ParameterizedTest(name = "optimizedModelCache {0}, EDGEAI4J_ENGINE_CACHE {1} -> {2}")
  @CsvSource(textBlock = """
      /var/cache/models, /srv/engines, /var/cache/models/tensorrt-engines
      /var/cache/models,             , /var/cache/models/tensorrt-engines
                       , /srv/engines, /srv/engines
                       , '   '       , /home/edge/.cache/edgeai4j/engines
                       ,             , /home/edge/.cache/edgeai4j/engines
      """)
  void theCacheDirectory(String optimizedModelCache, String env, String expected) {
    BackendOptions options = BackendOptions.builder()
        .optimizedModelCache(optimizedModelCache == null ? null : Path.of(optimizedModelCache)).build();
    Map<String, String> environment = new HashMap<>();
    if (env != null) {
      environment.put("EDGEAI4J_ENGINE_CACHE", env);
    }

    assertThat(TensorRtSettings.resolve(options, environment, HOME).cacheDir()).isEqualTo(Path.of(expected));
  }

  @ParameterizedTest(name = "EDGEAI4J_TENSORRT_MAX_ENGINES {0} -> {1}")
  @CsvSource(textBlock = """
      ,     16
      4,    4
      ' 1', 1
      1024, 1024
      """)
  void theEngineLimit(String env, int expected) {
    Map<String, String> environment = env == null ? Map.of() : Map.of("EDGEAI4J_TENSORRT_MAX_ENGINES", env);

    assertThat(TensorRtSettings.resolve(BackendOptions.DEFAULT, environment, HOME).maxEngines()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "EDGEAI4J_TENSORRT_MAX_ENGINES {0}")
  @CsvSource(delimiter = '|', textBlock = """
      0     | EDGEAI4J_TENSORRT_MAX_ENGINES must be 1 to 1024, found 0
      2000  | EDGEAI4J_TENSORRT_MAX_ENGINES must be 1 to 1024, found 2000
      many  | EDGEAI4J_TENSORRT_MAX_ENGINES must be an integer from 1 to 1024, found 'many'
      """)
  void aBadEngineLimitIsRefused(String env, String message) {
    assertThatThrownBy(() -> TensorRtSettings.resolve(BackendOptions.DEFAULT,
        Map.of("EDGEAI4J_TENSORRT_MAX_ENGINES", env), HOME)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
