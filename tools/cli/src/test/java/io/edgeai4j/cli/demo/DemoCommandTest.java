package io.edgeai4j.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.cli.EdgeCli;
import io.edgeai4j.cli.OwnDirectories;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edge demo} end to end, on the shipped manifest and the committed fault classifier, with the faults
 * brought forward so that a short run sees all three.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void runsThePipelineAndReportsDetectionQualityAgainstGroundTruth() throws Exception {
    Path manifest = demoManifest(dir, 3, 4, 5);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = EdgeCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("demo", "--manifest", manifest.toString(), "--duration", "20s", "--admin-port", "0",
        "--metrics-port", "-1", "--upstream-file", dir.resolve("up.jsonl").toString());

    assertThat(code).as(err.toString()).isZero();
    String report = out.toString();
    assertEveryFaultDetected(report);
    assertThat(dir.resolve("spill")).as("the ingestion module's own spill buffer").isDirectoryContaining(path -> true);
  }

  /**
   * Writes the shipped manifest into the directory (ingestion's directories under it, the model repository by its
   * absolute path) with the pump, fan and mill faults starting at the given seconds.
   */
  static Path demoManifest(Path dir, int pumpOnset, int fanOnset, int millOnset) throws IOException {
    Path manifest = dir.resolve("demo.json");
    Files.writeString(manifest, OwnDirectories.forIngestion(
        Files.readString(Path.of("../../deployment-manifests/predictive-maintenance.json"))
            .replace("\"onsetSeconds\": 15", "\"onsetSeconds\": " + pumpOnset)
            .replace("\"onsetSeconds\": 25", "\"onsetSeconds\": " + fanOnset)
            .replace("\"onsetSeconds\": 35", "\"onsetSeconds\": " + millOnset)
            .replace("\"repository\": \"model-repository\"",
                "\"repository\": \"" + Path.of("../../model-repository").toAbsolutePath().normalize() + "\""),
        "ingestion", dir));
    return manifest;
  }

  /** The report scores the run and detects each of the three faults; the healthy press raises no alert. */
  static void assertEveryFaultDetected(String report) {
    assertThat(report).contains("ALERT").contains("Detection quality against the simulator's ground truth")
        .containsPattern("fault detection over windows: precision \\d+\\.\\d %, recall \\d+\\.\\d %")
        .containsPattern("pump +imbalance +onset .*detected after")
        .containsPattern("fan +outerRace +onset .*detected after")
        .containsPattern("mill +innerRace +onset .*detected after")
        .doesNotContain("NOT DETECTED");
    assertThat(report.lines().filter(l -> l.startsWith("ALERT")).filter(l -> l.contains(" press "))).isEmpty();
  }
}
