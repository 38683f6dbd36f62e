package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheSummaryOfAnMlp() throws Exception {
    Path model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 4}, 3);

    CliRun run = CliRun.of("model", "inspect", model.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("(" + String.format("%,d", Files.size(model)) + " bytes)")
        .contains("opsets:      IR 8; ai.onnx 13")
        .contains("input:       x float [batch, 8]")
        .contains("output:      y float [batch, 4]")
        .contains("parameters:  212")
        .contains("quantized:   no")
        .contains("ops:         5 nodes: Add 2, MatMul 2, Relu 1")
        .contains("MACs:        192 per row")
        .contains("FLOPs:       420 per row")
        .doesNotContain("not counted");
  }

  @Test
  void perNodeAndJsonGiveEveryNodesCost() throws Exception {
    Path model = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 32, 8, 2, 3, 4, 1);
    Path json = dir.resolve("report/inspect.json");

    CliRun run = CliRun.of("model", "inspect", "--per-node", "--json", json.toString(), model.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("Conv_2 +Conv +\\[1, 8, 32] +6,144 +12,544");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("totalMacs").asLong()).isEqualTo(32L * 8 * 3 + 32L * 8 * 8 * 3 + 8 * 4);
    assertThat(report.get("nodes")).hasSize(7);
    assertThat(report.get("nodes").get(0).get("opType").asText()).isEqualTo("Conv");
    assertThat(report.get("quantized").asBoolean()).isFalse();
  }

  @Test
  void aMissingFileAndAFileThatIsNotAModelAreNamed() throws Exception {
    CliRun missing = CliRun.of("model", "inspect", dir.resolve("none.onnx").toString());
    Path text = Files.writeString(dir.resolve("text.onnx"), "hello");
    CliRun notAModel = CliRun.of("model", "inspect", text.toString());

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("none.onnx").contains("no such file");
    assertThat(notAModel.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(notAModel.err()).contains("text.onnx").contains("not an ONNX model");
  }
}
