package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwinDocumentsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aReleaseDocumentIsFine() throws Exception {
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").set("fault-classifier", ModelReleaseTest.valid());
    desired.put("keepVersions", 3).put("$version", 12).putObject("$metadata").put("$lastUpdated", "now");
    assertThat(TwinDocuments.problems(desired)).isEmpty();
  }

  @Test
  void refusesADocumentOver32Kb() {
    ObjectNode desired = JSON.createObjectNode();
    for (int i = 0; i < 11; i++) {
      desired.put("k" + i, "v".repeat(3000)); // 11 x ~3 KB = ~33 KB, each value under 4 KB
    }
    assertThat(TwinDocuments.problems(desired)).singleElement().asString()
        .matches("\"\" \\(the whole document\\): 33\\d\\d\\d bytes of compact UTF-8 JSON, over the limit of 32768");
    desired.remove("k10");
    assertThat(TwinDocuments.problems(desired)).isEmpty();
  }

  @Test
  void countsUtf8BytesNotCharacters() {
    ObjectNode desired = JSON.createObjectNode();
    desired.put("k", "é".repeat(2049)); // 4098 bytes, 2049 characters
    assertThat(TwinDocuments.problems(desired))
        .containsExactly("/k: a string value of 4098 bytes of UTF-8, over the limit of 4096");
  }

  @Test
  void refusesAStringValueOver4Kb() {
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").putObject("m").put("uri", "u".repeat(5 * 1024));
    desired.putArray("list").add("a").add("w".repeat(4097));
    desired.put("fine", "f".repeat(4096));
    assertThat(TwinDocuments.problems(desired)).containsExactly(
        "/models/m/uri: a string value of 5120 bytes of UTF-8, over the limit of 4096",
        "/list/1: a string value of 4097 bytes of UTF-8, over the limit of 4096");
  }

  @Test
  void refusesNestingDeeperThan10() {
    ObjectNode desired = JSON.createObjectNode();
    ObjectNode ten = desired;
    StringBuilder pointer = new StringBuilder();
    for (int i = 1; i <= 10; i++) {
      ten = ten.putObject("l" + i);
      pointer.append("/l").append(i);
    }
    ten.put("property", "value");
    assertThat(TwinDocuments.problems(desired)).isEmpty();
    ten.putObject("l11").put("property", "value");
    assertThat(TwinDocuments.problems(desired))
        .containsExactly(pointer + "/l11: nested 11 levels deep, over the limit of 10");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      a.b    | /models/a.b    | '.'
      $schema| /models/$schema| '$'
      a b    | /models/a b    | ' '
      x/y.z  | /models/x~1y.z | '.'
      m~.n   | /models/m~0.n  | '.'
      """)
  void refusesBadKeysAtTheirPointer(String key, String pointer, String character) {
    ObjectNode desired = JSON.createObjectNode();
    desired.putObject("models").put(key, 1).put("fine_key-1", 2);
    assertThat(TwinDocuments.problems(desired)).containsExactly(pointer + ": the key contains " + character
        + "; twin keys must not contain '.', '$', space or control characters");
  }

  @Test
  void refusesControlCharactersAndLongKeys() {
    ObjectNode desired = JSON.createObjectNode();
    desired.put("tab\there", 1);
    desired.put("k".repeat(1025), 1);
    desired.put("k".repeat(1024), 1);
    assertThat(TwinDocuments.problems(desired)).containsExactly(
        "/tab\there: the key contains U+0009; twin keys must not contain '.', '$', space or control characters",
        "/" + "k".repeat(1025) + ": a key of 1025 bytes of UTF-8, over the limit of 1024");
  }

  @Test
  void reportsEveryProblem() {
    ObjectNode desired = JSON.createObjectNode();
    desired.put("a.b", "x".repeat(5000));
    desired.put("c$", 1);
    assertThat(TwinDocuments.problems(desired)).hasSize(3);
  }
}
