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
    assertThat(run.out()).contains("condition: undefined").contains("contentType=null");
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
        ""));
    CliRun run = CliRun.of("route", "test", "--cases", cases.toString());
    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : run.out().split("\n")) {
      lines.add(MAPPER.readTree(l));
    }
    assertThat(lines).as("one output line per input line").hasSize(8);
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
