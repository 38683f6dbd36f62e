package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitCommandTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @TempDir Path dir;

  @Test
  void twoCutsWriteThreePartsThatComposeToTheModelBitForBit() throws Exception {
    Path model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 16, 4}, 5);
    Path out = dir.resolve("parts");

    CliRun run = CliRun.of("model", "split", model.toString(), "--at", "relu0", "--at", "relu1",
        "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("horizontal split of mlp.onnx into 3 parts")
        .containsPattern("part-0\\.onnx +stage 0 +x -> relu0 +\\(3 nodes\\)")
        .containsPattern("part-1\\.onnx +stage 1 +relu0 -> relu1 +\\(3 nodes\\)")
        .containsPattern("part-2\\.onnx +stage 2 +relu1 -> y +\\(2 nodes\\)")
        .contains("wrote " + out.resolve("split.json"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("split.json").toFile());
    assertThat(json.at("/source/file").asText()).isEqualTo("mlp.onnx");
    assertThat(json.at("/parts/1/inputs/0").toString())
        .isEqualTo("{\"name\":\"relu0\",\"type\":\"float32\",\"shape\":[\"batch\",16]}");
    float[] x = new float[3 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    Map<String, float[]> tensors = new HashMap<>(Map.of("x", x));
    Map<String, long[]> shapes = new HashMap<>(Map.of("x", new long[] {3, 8}));
    List<Path> parts;
    try (Stream<Path> files = Files.list(out)) {
      parts = files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
    }
    assertThat(parts).extracting(p -> p.getFileName().toString())
        .containsExactly("part-0.onnx", "part-1.onnx", "part-2.onnx");
    for (Path part : parts) {
      run(part, tensors, shapes);
    }
    Map<String, float[]> whole = new HashMap<>(Map.of("x", x));
    run(model, whole, new HashMap<>(Map.of("x", new long[] {3, 8})));
    assertThat(tensors.get("y")).isEqualTo(whole.get("y"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "--at relu1 --at relu0 | 65 | mlp.onnx: cuts out of order: cut 2 {relu0} is not downstream of cut 1 {relu1}:"
          + " x -> MatMul#0 (MatMul) -> xw0 -> Add#1 (Add) -> h0 -> Relu#2 (Relu) -> relu0 does not pass through"
          + " cut 1",
      "--at relu9 | 65 | mlp.onnx: unknown tensor 'relu9': the model has no input or node output of that name;"
          + " nearest: relu0, relu1",
      "--at W0 | 65 | mlp.onnx: tensor 'W0' is an initializer",
      "--at relu0, | 2 | --at 'relu0,': an empty tensor name; expected T[,T...]",
      "'' | 2 | nothing to do: give --at T[,T...] (one cut per --at)"})
  void refusalsExitWithTheirCodeAndSayWhy(String options, int code, String message) throws Exception {
    Path model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 16, 4}, 5);
    List<String> args = new java.util.ArrayList<>(List.of("model", "split", model.toString(), "--out",
        dir.resolve("parts").toString()));
    if (!options.isEmpty()) {
      args.addAll(List.of(options.split(" ")));
    }

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
    assertThat(run.err()).contains("edge model split: " + message);
    assertThat(dir.resolve("parts")).doesNotExist();
  }

  @Test
  void aMissingModelAndANonEmptyOutAreNamed() throws Exception {
    Path model = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 4}, 5);
    Path out = Files.createDirectories(dir.resolve("parts"));
    Files.writeString(out.resolve("part-0.onnx"), "old");

    CliRun missing = CliRun.of("model", "split", dir.resolve("none.onnx").toString(), "--at", "relu0",
        "--out", dir.resolve("other").toString());
    CliRun notEmpty = CliRun.of("model", "split", model.toString(), "--at", "relu0", "--out", out.toString());

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("none.onnx").contains("no such file");
    assertThat(notEmpty.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(notEmpty.err()).contains("edge model split: --out: ").contains("is not empty (holds part-0.onnx)");
  }

  /** Runs one model on the tensors it names among {@code tensors}, adding its outputs. */
  private static void run(Path model, Map<String, float[]> tensors, Map<String, long[]> shapes) throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = ENV.createSession(model.toString(), options)) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        for (String name : session.getInputNames()) {
          feed.put(name, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(tensors.get(name)), shapes.get(name)));
        }
        try (OrtSession.Result result = session.run(feed)) {
          for (Map.Entry<String, OnnxValue> e : result) {
            OnnxTensor t = (OnnxTensor) e.getValue();
            FloatBuffer b = t.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            tensors.put(e.getKey(), v);
            shapes.put(e.getKey(), t.getInfo().getShape());
          }
        } finally {
          feed.values().forEach(OnnxTensor::close);
        }
      }
    }
  }
}
