package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.onnxruntime.OnnxRuntimeCpuProvider;
import io.edgeai4j.inference.serving.ModelDescriptor;
import io.edgeai4j.inference.testing.HalfFloatModels;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge model init DIR}: the model.json the inference module would derive, written for the user to edit. */
class InitCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void writesTheModelJsonTheModuleDerivesAndRefusesToOverwriteIt() throws Exception {
    Path version = dir.resolve("repo/my-model/3");
    HalfFloatModels.float16(version.resolve("model.onnx"), 4, 2f);

    CliRun run = CliRun.of("model", "init", version.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote " + version.resolve("model.json")).contains("batching on (maxBatchSize 32)");
    JsonNode written = JSON.readTree(Files.readString(version.resolve("model.json")));
    assertThat(written.get("name").asText()).isEqualTo("my-model");
    assertThat(written.at("/inputs/0").toString()).isEqualTo("{\"name\":\"x\",\"type\":\"float16\",\"shape\":[-1,4]}");
    assertThat(written.at("/outputs/0").toString()).isEqualTo("{\"name\":\"y\",\"type\":\"float16\",\"shape\":[-1,4]}");
    // Exactly what the server derives when it loads the directory without a model.json.
    try (InferenceBackend ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
        LoadedModel model = ort.load(version.resolve("model.onnx"), List.of())) {
      assertThat(written.toString())
          .isEqualTo(ModelDescriptor.derive("my-model", model.inputs(), model.outputs()).toJson().toString());
    }

    CliRun again = CliRun.of("model", "init", version.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(again.err()).isEqualTo("edge model init: '" + version.resolve("model.json")
        + "' exists; refusing to overwrite it\n");
  }

  @Test
  void theNameCanBeGivenAndADirectoryWithoutAModelIsRefused() throws Exception {
    Path plain = dir.resolve("plain");
    OnnxTestModels.scale(plain.resolve("model.onnx"), 3, 1f);
    CliRun named = CliRun.of("model", "init", "--name", "scaler", plain.toString());
    assertThat(named.exitCode()).as(named.err()).isZero();
    assertThat(JSON.readTree(Files.readString(plain.resolve("model.json"))).get("name").asText()).isEqualTo("scaler");

    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun missing = CliRun.of("model", "init", empty.toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).isEqualTo("edge model init: DIR: '" + empty + "' holds no model.onnx\n");

    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(broken.resolve("model.onnx"), "not a model");
    CliRun unreadable = CliRun.of("model", "init", broken.toString());
    assertThat(unreadable.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(unreadable.err()).startsWith("edge model init: '" + broken.resolve("model.onnx") + "': ");
    assertThat(broken.resolve("model.json")).doesNotExist();
  }

  @Test
  void theDefaultNameIsTheModelFolderOfAVersionDirectory() {
    assertThat(InitCommand.defaultName(Path.of("/r/fault-classifier/12"))).isEqualTo("fault-classifier");
    assertThat(InitCommand.defaultName(Path.of("/r/fault-classifier"))).isEqualTo("fault-classifier");
    assertThat(InitCommand.defaultName(Path.of("/r/v2"))).isEqualTo("v2");
  }
}
