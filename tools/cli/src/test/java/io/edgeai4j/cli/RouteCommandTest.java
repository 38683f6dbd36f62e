package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON_SYS =
      "\"systemProperties\": {\"contentType\": \"application/json\", \"contentEncoding\": \"utf-8\"}";

  @TempDir Path dir;

  @Test
  void checkPrintsTheParts() {
    CliRun run = CliRun.of("route", "check",
        "FROM /messages/modules/sensor/outputs/* WHERE $body.temperature > 30 INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("source:    /messages/modules/sensor/outputs/")
        .contains("condition: $body.temperature > 30")
        .contains("sink:      BrokeredEndpoint(\"/modules/filter/inputs/in\")");
  }

  @Test
  void checkShowsTheErrorPosition() {
    CliRun run = CliRun.of("route", "check", "FROM /messages/* WHERE temp == 100 INTO $upstream");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("position").contains("^");
  }

  @ParameterizedTest(name = "{0} -> matched={1} condition={2}")
  @CsvSource(delimiter = '|', value = {
    "FROM /messages/modules/sensor/* WHERE $body.t > 30 INTO $upstream | true  | true      | yes",
    "FROM /messages/modules/sensor/* WHERE $body.t > 50 INTO $upstream | true  | false     | no",
    "FROM /messages/modules/sensor/* WHERE missing = 'x' INTO $upstream | true  | undefined | no",
    "FROM /messages/modules/sens/*   WHERE $body.t > 30 INTO $upstream | false | true      | no",
  })
  void testEvaluatesOneMessage(String route, boolean matched, String condition, String routed) throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"source\": \"/messages/modules/sensor/outputs/temp\", " + JSON_SYS
        + ", \"body\": {\"t\": 42}}");
    CliRun run = CliRun.of("route", "test", "--route", route, "--message", message.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(matched ? " matches /messages/modules/sensor/outputs/temp/" : " does not match ")
        .contains("condition: " + condition)
        .contains("routed:    " + routed);
  }

  @Test
  void testExplainsAnUndefinedBody() throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"body\": {\"t\": 42}}");
    CliRun run = CliRun.of("route", "test", "--route", "FROM /* WHERE $body.t > 1 INTO $upstream",
        "--message", message.toString());
    assertThat(run.out()).contains("condition: undefined").contains("contentType=absent, contentEncoding=absent");
  }

  /**
   * edgeHub stores a property sent as {@code key} or {@code key=} in an MQTT property bag with a null value:
   * a defined String that is null, not undefined.
   */
  @ParameterizedTest(name = "{0} => {1}")
  @CsvSource(delimiter = '|', value = {
    "is_null(flag)                  | true",
    "is_defined(flag)               | true",
    "is_string(flag)                | false",
    "flag = 'x'                     | undefined",
    "flag = 'x' OR true             | true",
    "concat(flag, 'x') = 'x'        | true",
    "length(flag) = 0               | undefined",
    "(flag ?? 'd') = 'd'            | undefined",
    "is_null($contentEncoding)      | true",
    "$body.t = 42                   | undefined",
  })
  void testEvaluatesNullValuedProperties(String condition, String expected) throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"properties\": {\"flag\": null}, \"systemProperties\":"
        + " {\"contentType\": \"application/json\", \"contentEncoding\": null}, \"body\": {\"t\": 42}}");
    CliRun run = CliRun.of("route", "test", "--route", "FROM /messages WHERE " + condition + " INTO $upstream",
        "--message", message.toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("condition: " + expected);
  }

  @Test
  void testNotesANullContentEncodingApartFromAMissingOne() throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"systemProperties\": {\"contentType\": \"application/json\","
        + " \"contentEncoding\": null}, \"body\": {\"t\": 42}}");
    CliRun run = CliRun.of("route", "test", "--route", "FROM /* WHERE $body.t = 42 INTO $upstream",
        "--message", message.toString());
    assertThat(run.out()).contains("condition: undefined")
        .contains("contentType=application/json, contentEncoding=null (a key with no value)");
  }

  @Test
  void testRefusesAPropertyThatIsNotAStringOrNull() throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"properties\": {\"n\": 3}}");
    CliRun run = CliRun.of("route", "test", "--route", "FROM /* INTO $upstream", "--message", message.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("'properties.n' must be a string or null").contains("found 3");
  }

  @Test
  void testRefusesAMalformedMessage() throws Exception {
    Path message = dir.resolve("m.json");
    Files.writeString(message, "{\"props\": {}}");
    CliRun run = CliRun.of("route", "test", "--route", "FROM /* INTO $upstream", "--message", message.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("unknown key 'props'");
  }

  @Test
  void casesGiveOneLinePerCaseInOrderAndGoOnAfterErrors() throws Exception {
    Path cases = dir.resolve("cases.jsonl");
    Files.writeString(cases, String.join("\n",
        "{\"route\": \"FROM /messages/* WHERE key1 = 'value1' INTO $upstream\", \"message\": {\"properties\": {\"KEY1\": \"value1\"}}}",
        "{\"route\": \"FROM /messages/* WHERE is_defined(3 + true) INTO $upstream\", \"message\": {}}",
        "not json",
        "{\"route\": \"FROM /messages/modules/abc/* INTO BrokeredEndpoint('/modules/m/inputs/i')\", \"message\": {\"source\": \"/messages/modules/abcd/outputs/o\"}}",
        "{\"route\": \"FROM /messages/* WHERE $body.a[1] = 'y' INTO $upstream\", \"message\": {" + JSON_SYS
            + ", \"body\": {\"a\": [\"x\", \"y\"]}}}",
        "{\"route\": \"FROM /messages/* WHERE missing = 'x' INTO $upstream\", \"message\": {}}",
        "",
        "{\"route\": \"FROM /messages/* INTO $upstream\", \"message\": {}}",
        "{\"route\": \"FROM /messages WHERE is_null(k) AND is_null($messageId) INTO $upstream\","
            + " \"message\": {\"properties\": {\"k\": null}, \"systemProperties\": {\"messageId\": null}}}",
        ""));
    CliRun run = CliRun.of("route", "test", "--cases", cases.toString());
    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : run.out().split("\n")) {
      lines.add(MAPPER.readTree(l));
    }
    assertThat(lines).as("one output line per input line").hasSize(9);
    assertThat(lines.get(8).get("condition").asText()).as("null-valued properties").isEqualTo("true");
    assertThat(lines.get(8).get("error").isNull()).isTrue();
    assertThat(lines.get(6).get("error").asText()).contains("line 7 is empty");
    assertThat(lines.get(7).get("condition").asText()).isEqualTo("true");
    assertThat(lines.get(1).get("error").asText()).startsWith("line 2: ");
    assertThat(lines.get(0).get("sourceMatched").asBoolean()).isTrue();
    assertThat(lines.get(0).get("condition").asText()).isEqualTo("true");
    assertThat(lines.get(0).get("sink").asText()).isEqualTo("$upstream");
    assertThat(lines.get(0).get("error").isNull()).isTrue();
    assertThat(lines.get(1).get("error").asText()).isNotBlank();
    assertThat(lines.get(2).get("error").asText()).contains("line 3 is not JSON");
    assertThat(lines.get(3).get("sourceMatched").asBoolean()).as("abc/* must not match abcd").isFalse();
    assertThat(lines.get(3).get("sink").asText()).isEqualTo("BrokeredEndpoint(\"/modules/m/inputs/i\")");
    assertThat(lines.get(4).get("condition").asText()).isEqualTo("true");
    assertThat(lines.get(5).get("condition").asText()).isEqualTo("undefined");
  }

  @Test
  void casesFileMustExist() {
    CliRun run = CliRun.of("route", "test", "--cases", dir.resolve("none.jsonl").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(run.err()).contains("does not exist");
  }
}
