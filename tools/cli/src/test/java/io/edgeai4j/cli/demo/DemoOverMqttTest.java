package io.edgeai4j.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.edgeai4j.cli.EdgeCli;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edge demo --modules-as-processes}: the sensor-ingestion and inference modules each in their own process,
 * connected to the edgeHub-compatible endpoint on 8883; scored as the in-process demo ({@link DemoCommandTest}).
 * Run by the {@code over-mqtt} surefire execution, in a network namespace of its own.
 */
class DemoOverMqttTest {
  @TempDir Path dir;

  @Test
  void theDemoRunsWithEachModuleAsItsOwnProcessAndScoresAsInProcess() throws Exception {
    assumeThat(System.getenv("EDGEAI4J_TEST_NETWORK")).as("run by the over-mqtt execution").isNotNull();
    // The score needs the simulator's labels, application properties of routed messages, which the Azure IoT SDK
    // 2.5.0 loses (it parses properties from the first %24 of the topic); the edgehub-mqtt transport keeps them.
    assumeThat(ServiceLoader.load(ModuleTransportProvider.class).stream().map(p -> p.get().name()))
        .as("the edgehub-mqtt transport on the class path (framework/azure-transport)").contains("edgehub-mqtt");
    Path manifest = DemoCommandTest.demoManifest(dir, 8, 9, 10);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = EdgeCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("demo", "--modules-as-processes", "--state-dir", dir.resolve("state").toString(),
        "--manifest", manifest.toString(), "--duration", "35s", "--admin-port", "0", "--metrics-port", "-1",
        "--upstream-file", dir.resolve("up.jsonl").toString());
    Files.writeString(Path.of("target", "demo-over-mqtt.err.txt"), err.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).containsPattern("process:  ingestion pid \\d+")
        .containsPattern("process:  inference pid \\d+");
    String report = out.toString();
    assertThat(report).contains("each module runs as its own process over MQTT");
    DemoCommandTest.assertEveryFaultDetected(report);
  }
}
