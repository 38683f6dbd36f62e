package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelDescriptorTest {
  private static final String IO = "\"inputs\": [{\"name\": \"features\", \"type\": \"float32\", \"shape\": [-1, 2]}],"
      + " \"outputs\": [{\"name\": \"p\", \"type\": \"float32\", \"shape\": [-1, 3]}]";

  @TempDir
  Path dir;

  private Path write(String json) throws Exception {
    return Files.writeString(dir.resolve("model.json"), json);
  }

  @Test
  void theFullExampleParsesWithItsValues() throws Exception {
    ModelDescriptor d = ModelDescriptor.read(write("""
        {"name": "fault-classifier", "description": "one line",
         "inputs":  [{"name": "features", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "probabilities", "type": "float32", "shape": [-1, 2]}],
         "labels": {"output": "probabilities", "classes": ["normal", "imbalance"]},
         "featureInput": {"input": "features", "fields": ["rms", "kurtosis", "bands.band1"],
                          "mean": [1.0, 3.0, 0.5], "scale": [2.0, 1.0, 0.25]},
         "batching": {"maxBatchSize": 16, "maxQueueDelayMicros": 250, "maxQueueSize": 64,
                      "requestTimeoutMillis": 1500, "instances": 2},
         "warmup": {"runs": 5}}
        """));
    assertThat(d.name()).isEqualTo("fault-classifier");
    assertThat(d.inputs()).singleElement().hasToString("features:float32[-1, 3]");
    assertThat(d.outputs()).singleElement().hasToString("probabilities:float32[-1, 2]");
    assertThat(d.labels().orElseThrow().className(1)).isEqualTo("imbalance");
    assertThat(d.labels().orElseThrow().className(7)).isEqualTo("class7");
    assertThat(d.batching()).isEqualTo(new ModelDescriptor.Batching(16, Duration.ofNanos(250_000), 64,
        Duration.ofMillis(1500), 2));
    assertThat(d.warmupRuns()).isEqualTo(5);
    var features = new ObjectMapper().readTree("{\"rms\": 3.0, \"kurtosis\": 4.5, \"peak\": 9,"
        + " \"bands\": {\"band0\": 1.0, \"band1\": 1.5}}");
    assertThat(d.featureInput().orElseThrow().row(features)).containsExactly(1.0f, 1.5f, 4.0f);
    assertThat(d.featureInput().orElseThrow().tensor(features).shape()).containsExactly(1, 3);
    assertThatThrownBy(() -> d.featureInput().orElseThrow().row(new ObjectMapper().readTree("{\"rms\": 1}")))
        .hasMessageContaining("field 'kurtosis' must be a number, found nothing");
  }

  @Test
  void optionalSectionsTakeTheirDefaults() throws Exception {
    ModelDescriptor d = ModelDescriptor.read(write("{\"name\": \"m\", " + IO + "}"));
    assertThat(d.description()).isEmpty();
    assertThat(d.labels()).isEmpty();
    assertThat(d.featureInput()).isEmpty();
    assertThat(d.batching()).isEqualTo(ModelDescriptor.Batching.DEFAULT);
    assertThat(d.batching().maxBatchSize()).isEqualTo(32);
    assertThat(d.batching().maxQueueDelay()).isEqualTo(Duration.ofNanos(500_000));
    assertThat(d.batching().maxQueueSize()).isEqualTo(256);
    assertThat(d.batching().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.batching().instances()).isEqualTo(1);
    assertThat(d.warmupRuns()).isEqualTo(3);
  }

  @Test
  void theTensorRtBlockIsLeftToTheTensorRtBackend() throws Exception {
    ModelDescriptor d = ModelDescriptor.read(write("{\"name\": \"m\", " + IO + ", \"tensorrt\": {\"precision\":"
        + " \"fp16\", \"workspaceMiB\": 512}}"));

    assertThat(d.name()).isEqualTo("m");
    assertThatThrownBy(() -> ModelDescriptor.read(write("{\"name\": \"m\", " + IO + ", \"tensorrt\": \"fp16\"}")))
        .hasMessageContaining("tensorrt: must be a JSON object, found string");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON                 | {"name": |not valid JSON
      not an object            | [1, 2] |(top level): must be a JSON object, found array
      name missing             | {IO} |name: is required but missing
      name not a string        | {"name": 3, IO} |name: must be a non-empty string, found 3
      unknown top-level key    | {"name": "m", "input": [], IO} |input: unknown setting
      inputs missing           | {"name": "m", "outputs": [{"name": "p", "type": "float32", "shape": [-1]}]} |inputs: is required but missing
      inputs empty             | {"name": "m", "inputs": [], "outputs": []} |inputs: must list at least one tensor
      inputs not an array      | {"name": "m", "inputs": {}, "outputs": []} |inputs: must be a JSON array, found object
      shape dimension -2       | {"name": "m", "inputs": [{"name": "x", "type": "float32", "shape": [-2, 4]}], "outputs": []} |inputs[0].shape: dimensions must be -1 (open) or positive integers, found [-2,4]
      shape dimension 0        | {"name": "m", "inputs": [{"name": "x", "type": "float32", "shape": [-1, 0]}], "outputs": []} |inputs[0].shape: dimensions must be
      shape not integers       | {"name": "m", "inputs": [{"name": "x", "type": "float32", "shape": [-1, 2.5]}], "outputs": []} |inputs[0].shape: dimensions must be
      type unknown             | {"name": "m", "inputs": [{"name": "x", "type": "float8", "shape": [-1]}], "outputs": []} |inputs[0].type: element type must be one of float32, float64, float16, bfloat16, int8, uint8, int32, int64, bool; found 'float8'
      duplicate input          | {"name": "m", "inputs": [{"name": "x", "type": "float32", "shape": [-1]}, {"name": "x", "type": "float32", "shape": [-1]}], "outputs": []} |inputs[1].name: duplicate tensor name 'x'
      output shape missing     | {"name": "m", "inputs": [{"name": "x", "type": "float32", "shape": [-1]}], "outputs": [{"name": "p", "type": "float32"}]} |outputs[0].shape: is required but missing
      labels unknown output    | {"name": "m", IO, "labels": {"output": "q", "classes": ["a"]}} |labels.output: names no output; found 'q', outputs are [p]
      labels classes numbers   | {"name": "m", IO, "labels": {"output": "p", "classes": [1]}} |labels.classes[0]: must be a non-empty string, found 1
      featureInput input       | {"name": "m", IO, "featureInput": {"input": "f", "fields": ["rms", "peak"]}} |featureInput.input: names no input; found 'f', inputs are [features]
      featureInput width       | {"name": "m", IO, "featureInput": {"input": "features", "fields": ["rms", "peak", "kurtosis"]}} |featureInput.fields: lists 3 fields, but input 'features' is features:float32[-1, 2]; expected float32[-1, 3]
      featureInput mean length | {"name": "m", IO, "featureInput": {"input": "features", "fields": ["rms", "peak"], "mean": [0.0]}} |featureInput.mean: must hold one number per field (2), found 1
      featureInput zero scale  | {"name": "m", IO, "featureInput": {"input": "features", "fields": ["rms", "peak"], "scale": [1.0, 0]}} |featureInput.scale[1]: must be a non-zero number, found 0
      maxBatchSize 0           | {"name": "m", IO, "batching": {"maxBatchSize": 0}} |batching.maxBatchSize: must be an integer from 1 to 65536, found 0
      maxQueueDelay negative   | {"name": "m", IO, "batching": {"maxQueueDelayMicros": -1}} |batching.maxQueueDelayMicros: must be an integer from 0 to 10000000, found -1
      maxQueueSize text        | {"name": "m", IO, "batching": {"maxQueueSize": "big"}} |batching.maxQueueSize: must be an integer from 1 to 1000000, found "big"
      timeout 0                | {"name": "m", IO, "batching": {"requestTimeoutMillis": 0}} |batching.requestTimeoutMillis: must be an integer from 1 to 3600000, found 0
      instances 65             | {"name": "m", IO, "batching": {"instances": 65}} |batching.instances: must be an integer from 1 to 64, found 65
      batching unknown key     | {"name": "m", IO, "batching": {"maxBatch": 4}} |batching.maxBatch: unknown setting; expected one of [adaptive, instances, maxBatchSize, maxQueueDelayMicros, maxQueueSize, requestTimeoutMillis]
      warmup runs negative     | {"name": "m", IO, "warmup": {"runs": -1}} |warmup.runs: must be an integer from 0 to 1000, found -1
      """)
  void errorsNameTheFileAndTheJsonPath(String what, String json, String expected) throws Exception {
    Path file = write(json.replace("IO", IO));
    assertThatThrownBy(() -> ModelDescriptor.read(file)).isInstanceOf(ModelRepositoryException.class)
        .hasMessageStartingWith(file.toString()).hasMessageContaining(expected);
  }

  private static final String WINDOW_IO = "\"inputs\": [{\"name\": \"window\", \"type\": \"float32\", \"shape\":"
      + " [-1, 1, 8]}], \"outputs\": [{\"name\": \"h\", \"type\": \"float32\", \"shape\": [-1, 4, 8]}]";

  @Test
  void aPartOfASplitModelReadsItsPartitionAndWindowInputAndWritesThemBack() throws Exception {
    ModelDescriptor d = ModelDescriptor.read(write("""
        {"name": "vibration-cnn-part-0", WINDOW_IO,
         "windowInput": {"input": "window", "length": 8},
         "partition": {"model": "vibration-cnn", "part": 0, "parts": 2, "next": "vibration-cnn-part-1",
                       "activationEncoding": "float16"}}
        """.replace("WINDOW_IO", WINDOW_IO)));
    assertThat(d.partition()).contains(new ModelDescriptor.Partition("vibration-cnn", 0, 2, "vibration-cnn-part-1",
        ActivationEncoding.FLOAT16));
    assertThat(d.partition().orElseThrow().last()).isFalse();
    assertThat(d.windowInput()).contains(new ModelDescriptor.WindowInput("window", 8));
    var window = new ObjectMapper().readTree("{\"values\": [1, 2, 3, 4, 5, 6, 7, 8.5]}");
    assertThat(d.windowInput().orElseThrow().tensor(window).shape()).containsExactly(1, 1, 8);
    assertThat(d.windowInput().orElseThrow().tensor(window).toFloats()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8.5f);
    assertThatThrownBy(() -> d.windowInput().orElseThrow().tensor(new ObjectMapper().readTree("{\"values\": [1, 2]}")))
        .hasMessage("windows message: 'values' holds 2 samples, the model's windowInput.length is 8");
    assertThatThrownBy(() -> d.windowInput().orElseThrow().tensor(new ObjectMapper().readTree(
        "{\"values\": [1, 2, 3, \"NaN\", 5, 6, 7, 8]}"))).hasMessage("windows message: values[3] must be a number,"
        + " found \"NaN\"");
    ModelDescriptor again = ModelDescriptor.parse(d.toJson());
    assertThat(again.partition()).isEqualTo(d.partition());
    assertThat(again.windowInput()).isEqualTo(d.windowInput());

    ModelDescriptor last = ModelDescriptor.read(write("""
        {"name": "vibration-cnn-part-1", IO, "labels": {"output": "p", "classes": ["a", "b", "c"]},
         "partition": {"model": "vibration-cnn", "part": 1, "parts": 2}}""".replace("IO", IO)));
    assertThat(last.partition()).contains(new ModelDescriptor.Partition("vibration-cnn", 1, 2, null,
        ActivationEncoding.FLOAT32));
    assertThat(last.partition().orElseThrow().last()).isTrue();
    assertThat(ModelDescriptor.parse(last.toJson()).partition()).isEqualTo(last.partition());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      partition not an object   | "partition": 2 |partition: must be a JSON object, found number
      partition model missing   | "partition": {"part": 0, "parts": 2, "next": "n"} |partition.model: is required but missing
      partition parts 1         | "partition": {"model": "m", "part": 0, "parts": 1} |partition.parts: must be an integer from 2 to 65536, found 1
      partition part too large  | "partition": {"model": "m", "part": 2, "parts": 2} |partition.part: must be an integer from 0 to 1, found 2
      partition part negative   | "partition": {"model": "m", "part": -1, "parts": 2, "next": "n"} |partition.part: must be an integer from 0 to 1, found -1
      partition next missing    | "partition": {"model": "m", "part": 0, "parts": 3} |partition.next: is required for part 0 of 3 (the model name of the next part, e.g. 'm-part-1'); only the last part has none
      partition next on last    | "partition": {"model": "m", "part": 2, "parts": 3, "next": "m-part-3"} |partition.next: must be absent for the last part (2 of 3), found 'm-part-3'
      partition encoding        | "partition": {"model": "m", "part": 0, "parts": 2, "next": "n", "activationEncoding": "int4"} |partition.activationEncoding: must be float32, float16 or int8; found 'int4'
      partition unknown key     | "partition": {"model": "m", "part": 1, "parts": 2, "encoding": "int8"} |partition.encoding: unknown setting; expected one of [activationEncoding, model, next, part, parts]
      windowInput input         | "windowInput": {"input": "w", "length": 8} |windowInput.input: names no input; found 'w', inputs are [window]
      windowInput length 0      | "windowInput": {"input": "window", "length": 0} |windowInput.length: must be an integer from 1 to 16777216, found 0
      windowInput length        | "windowInput": {"input": "window", "length": 4096} |windowInput.length: is 4096, but input 'window' is window:float32[-1, 1, 8]; expected float32[-1, 1, 4096]
      windowInput missing       | "windowInput": {"input": "window"} |windowInput.length: is required but missing
      """)
  void badPartitionAndWindowInputBlocksNameTheField(String what, String block, String expected) throws Exception {
    Path file = write("{\"name\": \"m\", " + WINDOW_IO + ", " + block + "}");
    assertThatThrownBy(() -> ModelDescriptor.read(file)).isInstanceOf(ModelRepositoryException.class)
        .hasMessage(file + ": " + expected);
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = dir.resolve("model.json");
    assertThatThrownBy(() -> ModelDescriptor.read(file)).hasMessage(file
        + ": no such file (every version directory needs a model.json)");
  }
}
