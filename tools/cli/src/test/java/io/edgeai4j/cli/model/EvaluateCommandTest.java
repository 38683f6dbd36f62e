package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.EdgeCli;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edge model evaluate}: the committed fault classifier on simulated data, and real conv/linear models. */
class EvaluateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FAULT_CLASSIFIER = Path.of("../../model-repository/fault-classifier/1/model.onnx")
      .toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void theFaultClassifierOnItsHeldOutRunsHasTheAccuracyItsReadmeStates() throws Exception {
    Path data = dir.resolve("test-runs");
    // The defaults are the training recipe's held-out runs (seed 2, 10 runs per class, 12 s).
    CliRun dataset = CliRun.of("model", "dataset", "--from-simulator", "features", data.toString());
    assertThat(dataset.exitCode()).as(dataset.err()).isZero();
    assertThat(dataset.out()).startsWith("wrote 29 set(s), 2850 rows (up to 100 per set)");
    Path copy = Files.copy(FAULT_CLASSIFIER, dir.resolve("copy.onnx"));
    Path report = dir.resolve("reports/evaluate.json");

    CliRun run = CliRun.of("model", "evaluate", "--reference", FAULT_CLASSIFIER.toString(), "--candidate",
        copy.toString(), "--data", data.toString(), "--top-k", "2", "--runs", "50", "--warmup", "5", "--json",
        report.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // model-tooling/fault-classifier-training/README.md: accuracy 0.9365 on these 2850 windows (2669 right).
    assertThat(run.out()).contains("top-1 accuracy                  93.65 %          93.65 %")
        .contains("agreement (top-1)              100.00 %")
        .contains("2850 rows in 29 sets, 5 outputs per row; latency: 50 interleaved batch-1 runs of each model");
    JsonNode json = JSON.readTree(Files.readString(report));
    assertThat(json.at("/reference/top1").asDouble()).isEqualTo(2669.0 / 2850);
    assertThat(json.at("/candidate/top1").asDouble()).isEqualTo(2669.0 / 2850);
    assertThat(json.at("/candidate/topK").asDouble()).isGreaterThan(json.at("/candidate/top1").asDouble());
    assertThat(json.at("/agreement").asDouble()).isEqualTo(1.0);
    assertThat(json.at("/maxAbsError").asDouble()).isZero();
    assertThat(json.at("/reference/bytes").asLong()).isEqualTo(Files.size(FAULT_CLASSIFIER));
    assertThat(json.at("/reference/latencyMs/runs").asInt()).isEqualTo(50);
    assertThat(json.at("/candidate/latencyMs/p50").asDouble()).isPositive();
    assertThat(json.at("/accuracyOmitted").isNull()).isTrue();
    assertThat(json.at("/latencyConditions/intraOpThreads").asInt()).isEqualTo(1);
  }

  @Test
  void aConvClassifierOnSimulatedWindowsAgainstAPerturbedCopy() throws Exception {
    Path data = dir.resolve("windows");
    CliRun dataset = CliRun.of("model", "dataset", "--from-simulator", "windows", "--seconds", "2.5",
        "--runs-per-class", "1", "--window", "256", "--hop", "256", "--rows-per-set", "32", data.toString());
    assertThat(dataset.exitCode()).as(dataset.err()).isZero();
    Path reference = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 256, 4, 2, 3, 5, 1);
    Path other = OnnxTestModels.conv1d(dir.resolve("other.onnx"), 256, 4, 2, 3, 5, 2);

    CliRun same = CliRun.of("model", "evaluate", "--reference", reference.toString(), "--candidate",
        reference.toString(), "--data", data.toString(), "--runs", "10", "--warmup", "1");
    CliRun different = CliRun.of("model", "evaluate", "--reference", reference.toString(), "--candidate",
        other.toString(), "--data", data.toString(), "--runs", "10", "--warmup", "1", "--json",
        dir.resolve("d.json").toString());

    assertThat(same.exitCode()).as(same.err()).isZero();
    assertThat(same.out()).contains("agreement (top-1)              100.00 %").containsPattern("max abs error +0\\.00000\n");
    assertThat(different.exitCode()).as(different.err()).isZero();
    JsonNode json = JSON.readTree(Files.readString(dir.resolve("d.json")));
    assertThat(json.at("/rows").asInt()).isEqualTo(5 * 48);
    assertThat(json.at("/maxAbsError").asDouble()).isPositive();
  }

  @Test
  void errorsNameWhatIsWrong() throws Exception {
    Path model = OnnxTestModels.random(dir.resolve("m.onnx"), 3, 2, 1);
    CliRun missing = CliRun.of("model", "evaluate", "--reference", model.toString(), "--candidate",
        dir.resolve("nope.onnx").toString(), "--data", dir.toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).isEqualTo("edge model evaluate: '" + dir.resolve("nope.onnx") + "': no such model file\n");

    CliRun noSets = CliRun.of("model", "evaluate", "--reference", model.toString(), "--candidate", model.toString(),
        "--data", dir.toString());
    assertThat(noSets.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(noSets.err()).isEqualTo("edge model evaluate: " + dir + ": holds no test_data_set_<n>/ directory;"
        + " expected ONNX's test-data layout (test_data_set_0/input_0.pb, ...)\n");

    CliRun badK = CliRun.of("model", "evaluate", "--reference", model.toString(), "--candidate", model.toString(),
        "--data", dir.toString(), "--top-k", "0");
    assertThat(badK.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badK.err()).isEqualTo("edge model evaluate: top-k must be at least 1, found 0\n");
  }

  @Test
  void theTableReachesABufferedStandardOutput() throws Exception {
    Path data = dir.resolve("data");
    CliRun dataset = CliRun.of("model", "dataset", "--from-simulator", "features", "--seconds", "2.5",
        "--runs-per-class", "1", data.toString());
    assertThat(dataset.exitCode()).as(dataset.err()).isZero();
    Path narrow = OnnxTestModels.random(dir.resolve("f.onnx"), 10, 5, 1);
    StringWriter text = new StringWriter();
    CommandLine cli = EdgeCli.commandLine();
    // As System.out is: buffered, flushed only when asked (picocli's writer does not flush on print).
    cli.setOut(new PrintWriter(new BufferedWriter(text, 1 << 16), false));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("model", "evaluate", "--reference", narrow.toString(), "--candidate", narrow.toString(),
        "--data", data.toString(), "--runs", "5", "--warmup", "0");
    assertThat(code).isZero();
    assertThat(text.toString()).contains("agreement (top-1)").contains("latency: 5 interleaved batch-1 runs");
  }
}
