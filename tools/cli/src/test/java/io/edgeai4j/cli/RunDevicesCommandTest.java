package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code edge run --device ... --link ...}: two manifests as a child and a parent device, and bad arguments. */
class RunDevicesCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  /**
   * Writes child.json (the simulated sensor, its readings to $upstream) and parent.json (the threshold filter fed by
   * a $connectionDeviceId route, its alerts to $upstream), both cut from the example pipeline.
   */
  @BeforeEach
  void manifests() throws Exception {
    JsonNode pipeline = MAPPER.readTree(Path.of("../../deployment-manifests/local-pipeline.json").toFile());
    ObjectNode child = pipeline.deepCopy();
    keepModules(child, Set.of("sensor"));
    ObjectNode childHub = (ObjectNode) child.at("/modulesContent/$edgeHub/properties.desired");
    childHub.putObject("routes").put("up", "FROM /messages/modules/sensor/outputs/* INTO $upstream");
    ((ObjectNode) child.at("/modulesContent/sensor/properties.desired")).put("sendIntervalMillis", 20);
    Files.writeString(dir.resolve("child.json"), child.toPrettyString());

    ObjectNode parent = pipeline.deepCopy();
    keepModules(parent, Set.of("filter"));
    ObjectNode routes = ((ObjectNode) parent.at("/modulesContent/$edgeHub/properties.desired")).putObject("routes");
    routes.put("fromSensor", "FROM /messages/* WHERE $connectionDeviceId = 'sensor'"
        + " INTO BrokeredEndpoint(\"/modules/filter/inputs/readings\")");
    routes.put("alerts", "FROM /messages/modules/filter/outputs/alerts INTO $upstream");
    Files.writeString(dir.resolve("parent.json"), parent.toPrettyString());
  }

  private static void keepModules(ObjectNode manifest, Set<String> keep) {
    ObjectNode content = (ObjectNode) manifest.get("modulesContent");
    ObjectNode modules = (ObjectNode) content.at("/$edgeAgent/properties.desired/modules");
    List<String> names = new ArrayList<>();
    modules.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (!keep.contains(name)) {
        modules.remove(name);
        content.remove(name);
      }
    }
  }

  @Test
  void runsAChildAndAParentOverAnEmulatedLinkForItsDuration() throws Exception {
    Path upstream = dir.resolve("up.jsonl");
    CliRun run = CliRun.of("run", "--device", "sensor=" + dir.resolve("child.json"),
        "--device", "node=" + dir.resolve("parent.json"), "--link", "sensor-node=10Mbit/20ms",
        "--duration", "4s", "--quiet", "--admin-port", "0", "--metrics-port", "0",
        "--upstream-file", upstream.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // 40 readings from 21 °C in 0.5 °C steps (noise ±0.1): those above 25 °C reach the parent's filter, whose
    // alerts are the top device's $upstream.
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(upstream)) {
      lines.add(MAPPER.readTree(line));
    }
    assertThat(lines).hasSizeBetween(31, 32).allSatisfy(l -> {
      assertThat(l.get("source").asText()).isEqualTo("/messages/modules/filter/outputs/alerts/");
      assertThat(l.at("/systemProperties/connectionDeviceId").asText()).isEqualTo("node");
      assertThat(l.at("/properties/alert").asText()).isEqualTo("true");
      assertThat(l.at("/body/machine/temperature").asDouble()).isGreaterThan(25);
    });
    assertThat(run.out()).as("--quiet").isEmpty();
    assertThat(run.err())
        .contains("edge run: 2 devices, 1 link; top device 'node'")
        .contains("device 'node' (top): 1 modules, 2 routes")
        .contains("device 'sensor' (child of 'node'): 1 modules, 1 routes")
        .contains("  upstream: link sensor-node (10Mbit/20ms) to device 'node'")
        .contains("  upstream: " + upstream.toAbsolutePath())
        .contains("link sensor-node: 10Mbit/20ms")
        .contains("4s elapsed; stopping")
        .containsPattern("edge run: link sensor-node: 40 messages, \\d+ bytes, 0 retransmissions, 0 deferred,"
            + " transit mean \\d+\\.\\d ms, max \\d+\\.\\d ms");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # arguments (DIR = the test's folder)                                           | exit | error
      --device sensor                                                                  | 2  | edge run: --device 'sensor': expected NAME=MANIFEST, e.g. sensor=child.json
      --device =DIR/child.json                                                         | 2  | edge run: --device '=DIR/child.json': expected NAME=MANIFEST
      --device sensor=DIR/child.json --device sensor=DIR/parent.json                   | 2  | device 'sensor' is given twice
      --device sensor=DIR/child.json --device node=DIR/parent.json --link sensor-gw=10Mbit/20ms | 2 | edge run: link 'sensor-gw=10Mbit/20ms': 'sensor-gw' does not name two of the devices [node, sensor] as CHILD-PARENT
      --device sensor=DIR/child.json --device node=DIR/parent.json --link sensor-node=10Mbyte/20ms | 2 | unknown bandwidth unit 'Mbyte', expected bit, kbit, Mbit or Gbit
      --device sensor=DIR/child.json --device node=DIR/parent.json --link sensor-node       | 2 | edge run: link 'sensor-node': no '='
      --device sensor=DIR/child.json --device node=DIR/parent.json --link sensor-node=1Mbit/1ms --link node-sensor=1Mbit/1ms | 2 | edge run: the links form a cycle: sensor -> node -> sensor
      --device sensor=DIR/child.json --device gw=DIR/child.json --device node=DIR/parent.json --link sensor-node=1Mbit/1ms --link sensor-gw=1Mbit/1ms | 2 | device 'sensor' has two parents
      --device sensor=DIR/child.json --device node=DIR/parent.json                     | 2  | edge run: the devices form 2 separate hierarchies, with tops [sensor, node]
      --link sensor-node=10Mbit/20ms                                                   | 2  | edge run: --link needs the devices it joins
      DIR/child.json --device node=DIR/parent.json                                     | 2  | edge run: give either <manifest> or --device NAME=MANIFEST, not both
      --device solo=DIR/child.json --device-id other                                   | 2  | edge run: --device-id applies to edge run <manifest>
      --device solo=DIR/child.json --mqtt                                              | 2  | edge run: --mqtt applies to edge run <manifest>; a --device hierarchy runs in-process only
      --device solo=DIR/child.json --modules-as-processes                              | 2  | edge run: --modules-as-processes applies to edge run <manifest>
      --device solo=DIR/child.json --state-dir DIR/s                                   | 2  | edge run: --state-dir applies to edge run <manifest>
      --device sensor=DIR/absent.json --device node=DIR/parent.json --link sensor-node=1Mbit/1ms | 66 | edge run: cannot run DIR/absent.json: no such file
      --device sensor=DIR/child.json --device node=DIR/bad.json --link sensor-node=1Mbit/1ms | 78 | edge run: cannot run DIR/bad.json: the manifest is invalid (the problems above)
      """)
  void refusesBadDevicesAndLinks(String arguments, int exit, String error) throws Exception {
    Files.writeString(dir.resolve("bad.json"), Files.readString(dir.resolve("parent.json"))
        .replace("\"restartPolicy\" : \"always\"", "\"restartPolicy\" : \"sometimes\""));
    List<String> args = new ArrayList<>(List.of("run"));
    for (String a : arguments.replace("DIR", dir.toString()).trim().split("\\s+")) {
      args.add(a);
    }
    args.addAll(List.of("--admin-port", "0", "--metrics-port", "-1", "--upstream-file",
        dir.resolve("u.jsonl").toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exit);
    assertThat(run.err()).contains(error.replace("DIR", dir.toString()));
    assertThat(dir.resolve("u.jsonl")).as("nothing started").doesNotExist();
  }

  @Test
  void noManifestAndNoDeviceIsAUsageError() {
    CliRun run = CliRun.of("run", "--admin-port", "0", "--metrics-port", "-1");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("edge run: no manifest given; expected edge run <manifest>, or edge run --device"
        + " NAME=MANIFEST [--device ...] [--link CHILD-PARENT=SPEC ...]\n");
  }
}
