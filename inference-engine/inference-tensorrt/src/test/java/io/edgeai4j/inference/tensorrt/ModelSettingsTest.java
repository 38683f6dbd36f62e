package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static ModelSettings parse(String json) throws IOException {
    return ModelSettings.parse("model.json", JSON.readTree(json));
  }

  @Test
  void withoutModelJsonTheModelServersDefaultsApply() throws IOException {
    Path model = OnnxTestModels.linear(dir.resolve("1/model.onnx"), 2, 2, new float[4], new float[2], false);

    assertThat(ModelSettings.forModel(model)).isEqualTo(ModelSettings.DEFAULT);
    assertThat(ModelSettings.DEFAULT.maxBatchSize()).isEqualTo(32);
    assertThat(ModelSettings.DEFAULT.instances()).isEqualTo(1);
  }

  @Test
  void theModelJsonBesideTheModelIsRead() throws IOException {
    Path model = OnnxTestModels.linear(dir.resolve("1/model.onnx"), 2, 2, new float[4], new float[2], false);
    Files.writeString(dir.resolve("1/model.json"), """
        {"name": "m", "inputs": [], "outputs": [], "batching": {"maxBatchSize": 64, "instances": 3},
         "tensorrt": {"precision": "fp16", "workspaceMiB": 256, "buildTimeoutSeconds": 90,
                      "shapes": {"x": {"min": [1, 2], "opt": [4, 2], "max": [8, 2]}}}}""");

    ModelSettings s = ModelSettings.forModel(model);

    assertThat(s).isEqualTo(new ModelSettings(64, 3, Optional.of(Precision.FP16), 256L << 20, Duration.ofSeconds(90),
        Map.of("x", new ShapeProfile("x", new long[] {1, 2}, new long[] {4, 2}, new long[] {8, 2}))));
  }

  @Test
  void aModelJsonThatIsNotJsonIsRefusedNamingIt() throws IOException {
    Path json = Files.writeString(dir.resolve("model.json"), "{\"batching\": ");

    assertThatThrownBy(() -> ModelSettings.read(json)).isInstanceOf(IOException.class)
        .hasMessageStartingWith(json + ": not valid JSON: ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                              | 32 | 1 |
      {"batching": {"maxBatchSize": 8}}               | 8  | 1 |
      {"batching": {"instances": 4}}                  | 32 | 4 |
      {"tensorrt": {"precision": "int8"}}             | 32 | 1 | INT8
      {"tensorrt": {"precision": "FP32"}}             | 32 | 1 | FP32
      """)
  void settingsAndDefaults(String json, int maxBatchSize, int instances, Precision precision) throws IOException {
    ModelSettings s = parse(json);

    assertThat(s.maxBatchSize()).isEqualTo(maxBatchSize);
    assertThat(s.instances()).isEqualTo(instances);
    assertThat(s.precision()).isEqualTo(Optional.ofNullable(precision));
    assertThat(s.workspaceBytes()).isEqualTo(1L << 30);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {"batching": {"maxBatchSize": 0}}               | model.json: /batching/maxBatchSize: expected an integer from 1 to 65536, found 0
      {"batching": {"instances": 65}}                 | model.json: /batching/instances: expected an integer from 1 to 64, found 65
      {"tensorrt": "fp16"}                            | model.json: /tensorrt: expected an object, found "fp16"
      {"tensorrt": {"precision": "bf16"}}             | model.json: /tensorrt/precision: expected one of "fp32", "fp16", "int8", found "bf16"
      {"tensorrt": {"workspaceMib": 5}}               | model.json: /tensorrt/workspaceMib: unknown setting, expected one of [buildTimeoutSeconds, precision, shapes, workspaceMiB]
      {"tensorrt": {"workspaceMiB": 1.5}}             | model.json: /tensorrt/workspaceMiB: expected an integer from 1 to 1048576, found 1.5
      {"tensorrt": {"shapes": {"x": [1, 2]}}}         | model.json: /tensorrt/shapes/x: expected {"min": [..], "opt": [..], "max": [..]}, found [1,2]
      {"tensorrt": {"shapes": {"x": {"min": [1]}}}}   | model.json: /tensorrt/shapes/x/opt: expected an array of dimensions, e.g. [1, 3, 224, 224], found null
      {"tensorrt": {"shapes": {"x": {"min": [0], "opt": [1], "max": [1]}}}} | model.json: /tensorrt/shapes/x/min: expected dimensions of 1 or more, found [0]
      {"tensorrt": {"shapes": {"x": {"min": [4], "opt": [2], "max": [8]}}}} | model.json: /tensorrt/shapes/x: input 'x' dimension 0: expected 1 <= min <= opt <= max, found 4, 2, 8
      """)
  void badSettingsAreRefusedNamingThePointerWhatWasFoundAndWhatWasExpected(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(IOException.class).hasMessage(message);
  }
}
