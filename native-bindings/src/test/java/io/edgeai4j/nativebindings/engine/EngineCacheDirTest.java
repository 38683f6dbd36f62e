package io.edgeai4j.nativebindings.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineCacheDirTest {
  @ParameterizedTest(name = "--engine-cache {0}, EDGEAI4J_ENGINE_CACHE {1}")
  @CsvSource(delimiter = '|', value = {
      "/flag  | /env | /flag",
      "       | /env | /env",
      "       | ' '  | /home/u/.cache/edgeai4j/engines",
      "       |      | /home/u/.cache/edgeai4j/engines",
  })
  void theFlagThenTheVariableThenTheUsersCache(String flag, String variable, String expected) {
    Map<String, String> env = new HashMap<>();
    if (variable != null) {
      env.put(EngineCacheDir.VARIABLE, variable);
    }

    Path dir = EngineCacheDir.resolve(flag == null ? null : Path.of(flag), env, Path.of("/home/u"));

    assertThat(dir).isEqualTo(Path.of(expected));
  }
}
