package io.edgeai4j.edgehub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void createsA32ByteRandomKeyPerModuleInAFileOnlyTheUserCanRead() throws IOException {
    Path file = dir.resolve("state/module-keys.json");

    ModuleKeys keys = ModuleKeys.open(file, "edge-1", List.of("sensor", "filter"));

    assertThat(keys.deviceId()).isEqualTo("edge-1");
    assertThat(keys.moduleIds()).containsExactlyInAnyOrder("sensor", "filter");
    assertThat(keys.key("sensor")).hasSize(32).isNotEqualTo(keys.key("filter"));
    assertThat(Base64.getDecoder().decode(keys.keyBase64("filter"))).isEqualTo(keys.key("filter"));
    JsonNode stored = JSON.readTree(file.toFile());
    assertThat(stored.get("deviceId").asText()).isEqualTo("edge-1");
    assertThat(stored.get("modules").get("sensor").asText()).isEqualTo(keys.keyBase64("sensor"));
    if (SecureFiles.posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      // no temporary file left behind
      assertThat(files).containsExactlyInAnyOrder(file, file.resolveSibling("module-keys.json.lock"));
    }
  }

  @Test
  void reopeningKeepsTheKeysAddsNewModulesAndKeepsKeysOfModulesNoLongerListed() throws IOException {
    Path file = dir.resolve("module-keys.json");
    ModuleKeys first = ModuleKeys.open(file, "edge-1", List.of("sensor", "filter"));

    ModuleKeys second = ModuleKeys.open(file, "edge-1", List.of("sensor", "classifier"));
    assertThat(second.key("sensor")).isEqualTo(first.key("sensor"));
    assertThat(second.moduleIds()).containsExactlyInAnyOrder("sensor", "classifier");
    assertThatThrownBy(() -> second.key("filter")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'filter'").hasMessageContaining("[classifier, sensor]");

    ModuleKeys third = ModuleKeys.open(file, "edge-1", List.of("filter"));
    assertThat(third.key("filter")).isEqualTo(first.key("filter"));
    assertThat(JSON.readTree(file.toFile()).get("modules").size()).isEqualTo(3);
  }

  @Test
  void twoProcessesAddingModulesAtOnceKeepEachOthersKeys() throws Exception {
    Path file = dir.resolve("module-keys.json");
    Path start = dir.resolve("start");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      processes.add(new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
          ModuleKeysWriter.class.getName(), file.toString(), start.toString(), prefix, "25")
          .redirectErrorStream(true).redirectOutput(dir.resolve(prefix + ".log").toFile()).start());
    }
    Thread.sleep(300); // both JVMs up and spinning on the start file
    Files.createFile(start);
    for (Process process : processes) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(dir.resolve("a.log")) + Files.readString(
          dir.resolve("b.log"))).isZero();
    }

    JsonNode modules = JSON.readTree(file.toFile()).get("modules");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add("a-" + i);
      expected.add("b-" + i);
    }
    List<String> stored = new ArrayList<>();
    modules.fieldNames().forEachRemaining(stored::add);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void keyReturnsACopy() throws IOException {
    ModuleKeys keys = ModuleKeys.open(dir.resolve("k.json"), "edge-1", List.of("m"));
    byte[] key = keys.key("m");
    key[0] ^= 1;
    assertThat(keys.key("m")).isNotEqualTo(key);
  }

  @Test
  void aFileOfAnotherDeviceFailsNamingBothDevices() throws IOException {
    Path file = dir.resolve("module-keys.json");
    ModuleKeys.open(file, "edge-1", List.of("sensor"));

    assertThatThrownBy(() -> ModuleKeys.open(file, "edge-2", List.of("sensor")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'edge-1'").hasMessageContaining("'edge-2'").hasMessageContaining(file.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json                                        | is not JSON",
      "[1, 2]                                          | has no text \"deviceId\" and object \"modules\"",
      "{\"deviceId\": \"edge-1\"}                      | has no text \"deviceId\" and object \"modules\"",
      "{\"deviceId\": \"edge-1\", \"modules\": {\"m\": \"!!\"}}   | the key of module 'm' is not base64 text",
      "{\"deviceId\": \"edge-1\", \"modules\": {\"m\": \"AAAA\"}} | the key of module 'm' is 3 bytes; expected base64 of 32",
      "{\"deviceId\": \"edge-1\", \"modules\": {\"m\": 7}}        | the key of module 'm' is not base64 text",
  })
  void aBrokenFileFailsSayingWhatWasFoundAndExpected(String content, String message) throws IOException {
    Path file = Files.writeString(dir.resolve("module-keys.json"), content);

    assertThatThrownBy(() -> ModuleKeys.open(file, "edge-1", List.of("m")))
        .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining(message);
    assertThat(Files.readString(file)).isEqualTo(content); // left as found
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {"'', m", "' ', m", "null, m", "edge-1, ''", "edge-1, ' '"})
  void blankIdsAreRefused(String deviceId, String moduleId) {
    assertThatThrownBy(() -> ModuleKeys.open(dir.resolve("k.json"), deviceId, List.of(moduleId)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
  }

  @Test
  void anUnchangedFileIsNotRewritten() throws IOException {
    Path file = dir.resolve("module-keys.json");
    ModuleKeys.open(file, "edge-1", List.of("a"));
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));

    ModuleKeys.open(file, "edge-1", List.of("a"));

    assertThat(Files.getLastModifiedTime(file).toMillis()).isZero();
  }

  @Test
  void keysDifferBetweenFiles() throws IOException {
    ModuleKeys one = ModuleKeys.open(dir.resolve("1.json"), "edge-1", List.of("m"));
    ModuleKeys two = ModuleKeys.open(dir.resolve("2.json"), "edge-1", List.of("m"));
    assertThat(one.key("m")).isNotEqualTo(two.key("m"));
  }
}
