package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code edge run} and {@code edge manifest validate} judge a manifest with one validator: each row edits
 * {@code local-pipeline.json} where the two used to disagree (the local runtime's own parser accepted what the
 * deployment validator refuses, refused what it accepts, or refused in other words). {@code edge run} must print on
 * standard error exactly what {@code validate} prints, and refuse the manifest exactly when {@code validate} does.
 */
class RunValidatesLikeManifestValidateTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String AGENT = "/modulesContent/$edgeAgent/properties.desired";
  private static final String HUB = "/modulesContent/$edgeHub/properties.desired";

  @TempDir Path dir;

  static Stream<Arguments> disagreements() {
    return Stream.of(
        // the runtime's parser accepted these; the validator refuses them
        row("image without a tag", true, "has no tag; edgeAgent would pull ':latest'",
            m -> set(m, AGENT + "/modules/sensor/settings/image", "edgeai4j/simulated-temperature-sensor")),
        row("image repository in upper case", true, "must be lower case for docker",
            m -> set(m, AGENT + "/modules/filter/settings/image", "edgeai4j/Threshold-Filter:0.1.0-amd64")),
        row("module without status", true, "required property 'status' not found",
            m -> remove(m, AGENT + "/modules/filter/status")),
        row("$edgeAgent without systemModules", true, "required property 'systemModules' not found",
            m -> remove(m, AGENT + "/systemModules")),
        row("route into a module that is not deployed", true, "target module 'ghost' is not in $edgeAgent's modules",
            m -> set(m, HUB + "/routes/toGhost",
                "FROM /messages/modules/sensor/outputs/* INTO BrokeredEndpoint(\"/modules/ghost/inputs/in\")")),
        row("GPU Capabilities a flat list", true, "expected an array of arrays of strings",
            m -> set(m, AGENT + "/modules/filter/settings/createOptions",
                "{\"HostConfig\":{\"DeviceRequests\":[{\"Count\":-1,\"Capabilities\":[\"gpu\"]}]}}")),
        row("two createOptions chunks with the same number", true, "has the same number as createOptions",
            m -> set(m, AGENT + "/modules/filter/settings/createOptions00", "{}")),
        row("module desired properties over the 32 KB twin limit", true, "desired properties: ",
            m -> set(m, "/modulesContent/filter/properties.desired/note", "x".repeat(40_000))),
        // the runtime's parser refused this; the validator warns and deploys it
        row("twin section of a module $edgeAgent does not deploy", false,
            "desired properties for module 'ghost', which $edgeAgent does not deploy",
            m -> set(m, "/modulesContent/ghost", MAPPER.createObjectNode().set("properties.desired",
                MAPPER.createObjectNode().put("x", 1)))),
        // both refused, in different words
        row("route priority out of range", true, "must have a maximum value of 9",
            m -> set(m, HUB + "/routes/alertsToCloud/priority", 12)),
        row("$edgeHub schema version unknown", true, "is not a $edgeHub schema version",
            m -> set(m, HUB + "/schemaVersion", "2.0")),
        row("module name with a space", true, "may contain only letters, digits, '-' and '_'",
            m -> set(m, AGENT + "/modules/bad name", m.at(AGENT + "/modules/filter").deepCopy())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disagreements")
  void runPrintsWhatValidatePrintsAndRefusesWhatItRefuses(String name, boolean invalid, String problem,
      Consumer<ObjectNode> edit) throws IOException {
    Path manifest = edited(edit);

    CliRun validate = CliRun.of("manifest", "validate", manifest.toString());
    CliRun run = CliRun.of("run", manifest.toString(), "--quiet", "--duration", "1s", "--metrics-port", "-1",
        "--admin-port", "0", "--upstream-file", dir.resolve("up.jsonl").toString());

    assertThat(validate.out()).as("the row triggers what it names").contains(problem);
    assertThat(validate.exitCode()).isEqualTo(invalid ? 1 : 0);
    assertThat(run.err()).as("edge run prints validate's report").startsWith(validate.out());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(invalid ? ExitCodes.CONFIG : ExitCodes.OK);
    if (invalid) {
      assertThat(run.err()).endsWith("edge run: cannot run " + manifest + ": the manifest is invalid (the"
          + " problems above)\n");
    } else {
      assertThat(run.err()).contains("1s elapsed; stopping");
    }
  }

  /**
   * What the local runtime alone refuses: an in-memory store of 0 bytes, which edgeHub's schema allows but in which
   * the local hub could keep no message.
   */
  @Test
  void runAloneRefusesAStoreLimitOfZeroBytes() throws IOException {
    Path manifest = edited(m -> set(m, HUB + "/storeAndForwardConfiguration/storeLimits",
        MAPPER.createObjectNode().put("maxSizeBytes", 0)));

    CliRun validate = CliRun.of("manifest", "validate", manifest.toString());
    CliRun run = CliRun.of("run", manifest.toString(), "--quiet", "--duration", "1s", "--metrics-port", "-1",
        "--admin-port", "0");

    assertThat(validate.exitCode()).isZero();
    assertThat(run.err()).startsWith(validate.out());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).endsWith("edge run: cannot run " + manifest + ": $.modulesContent['$edgeHub']"
        + "['properties.desired'].storeAndForwardConfiguration.storeLimits.maxSizeBytes: found 0 (number), expected a"
        + " positive integer number of bytes (the local runtime's in-memory store cannot hold a message in 0"
        + " bytes)\n");
  }

  private Path edited(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode manifest = (ObjectNode) MAPPER.readTree(OwnDirectories.forIngestion(
        Files.readString(Path.of("../../deployment-manifests/local-pipeline.json")), "ingestion", dir));
    edit.accept(manifest);
    return Files.writeString(dir.resolve("manifest.json"), MAPPER.writeValueAsString(manifest));
  }

  private static Arguments row(String name, boolean invalid, String problem, Consumer<ObjectNode> edit) {
    return Arguments.of(name, invalid, problem, edit);
  }

  private static void set(ObjectNode root, String pointer, Object value) {
    JsonPointer at = JsonPointer.compile(pointer);
    ObjectNode parent = (ObjectNode) root.at(at.head());
    JsonNode node = value instanceof JsonNode json ? json : MAPPER.valueToTree(value);
    parent.set(at.last().getMatchingProperty(), node);
  }

  private static void remove(ObjectNode root, String pointer) {
    JsonPointer at = JsonPointer.compile(pointer);
    ((ObjectNode) root.at(at.head())).remove(at.last().getMatchingProperty());
  }
}
