package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.testing.HalfFloatModels;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16 and bfloat16 models end to end under {@code edge run}'s runtime: a request in JSON numbers or base64 of the
 * raw 16-bit values, answered in either encoding, by ONNX Runtime running the model's own 16-bit input and output;
 * and a model directory with only {@code model.onnx}, served with the {@code model.json} derived from it.
 */
class HalfFloatInferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ROUTES = """
      {"infer": "FROM /messages/modules/driver/outputs/infer INTO BrokeredEndpoint(\\"/modules/inference/inputs/infer\\")",
       "results": "FROM /messages/modules/inference/outputs/results INTO BrokeredEndpoint(\\"/modules/driver/inputs/results\\")"}""";

  @TempDir Path dir;
  private final RecordingModule driver = new RecordingModule("results");
  private LocalEdgeRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void float16AndBfloat16ModelsAnswerJsonAndBase64Requests() throws Exception {
    Path models = dir.resolve("models");
    version(models, "half", "float16");
    version(models, "brain", "bfloat16");
    HalfFloatModels.float16(models.resolve("half/1/model.onnx"), 4, 2f);
    HalfFloatModels.bfloat16(models.resolve("brain/1/model.onnx"), 4, 2f);
    start(models, """
        {"models": {"half": {"versionPolicy": {"latest": 1}}, "brain": {"versionPolicy": {"latest": 1}}}}""");

    // 0.1 is not a float16: it is rounded to the nearest one (0.0999755859375) before the model doubles it.
    JsonNode half = infer("""
        {"model": "half", "correlationId": "h-json", "inputs": {"x": {"type": "float16", "shape": [1, 4],
         "data": [1.5, -3, 0.1, 30000]}}}""");
    assertThat(half.at("/outputs/y/type").asText()).isEqualTo("float16");
    assertThat(floats(half.at("/outputs/y/data"))).containsExactly(3f, -6f,
        HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(2 * HalfFloats.float16ToFloat(
            HalfFloats.floatToFloat16(0.1f)))), 60000f);

    // The raw bits in, the raw bits out: 1.0 (3c00) and 65504 / 2 = 32752 (77ff) double to 2.0 (4000) and 65504.
    JsonNode halfBase64 = infer("""
        {"model": "half", "correlationId": "h-b64", "outputEncoding": "base64", "inputs": {"x": {"type": "float16",
         "shape": [1, 4], "base64": "%s"}}}""".formatted(littleEndian(0x3c00, 0x77ff, 0x0000, 0x8000)));
    assertThat(halfBase64.at("/outputs/y/base64").asText()).isEqualTo(littleEndian(0x4000, 0x7bff, 0x0000, 0x8000));

    JsonNode brain = infer("""
        {"model": "brain", "correlationId": "b-json", "inputs": {"x": {"type": "bfloat16", "shape": [1, 4],
         "data": [1.5, -3, 1e30, 0.25]}}}""");
    assertThat(brain.at("/outputs/y/type").asText()).isEqualTo("bfloat16");
    assertThat(floats(brain.at("/outputs/y/data"))).containsExactly(3f, -6f,
        HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(2 * HalfFloats.bfloat16ToFloat(
            HalfFloats.floatToBfloat16(1e30f)))), 0.5f);

    // A value float16 cannot hold is refused before anything runs, naming the element.
    JsonNode tooLarge = infer("""
        {"model": "half", "correlationId": "h-big", "inputs": {"x": {"type": "float16", "shape": [1, 4],
         "data": [1, 2, 3, 70000]}}}""");
    assertThat(tooLarge.get("status").asText()).isEqualTo("error");
    assertThat(tooLarge.at("/error/message").asText())
        .contains("inputs.x.data[3]: must be a float16 number, at most 65504 in magnitude, found 70000");
  }

  @Test
  void aModelWithoutModelJsonIsServedWithTheOneDerivedFromIt() throws Exception {
    Path models = dir.resolve("models");
    HalfFloatModels.bfloat16(models.resolve("own/1/model.onnx"), 4, -1f);
    start(models, "{\"models\": {\"own\": {\"versionPolicy\": {\"latest\": 1}}}}");

    JsonNode own = infer("""
        {"model": "own", "correlationId": "o-1", "inputs": {"x": {"type": "bfloat16", "shape": [2, 4],
         "data": [[1, 2, 3, 4], [0.5, -0.5, 8, 0]]}}}""");

    assertThat(own.get("status").asText()).as(own.toString()).isEqualTo("ok");
    assertThat(own.get("version").asLong()).isEqualTo(1);
    assertThat(floats(own.at("/outputs/y/data"))).containsExactly(-1f, -2f, -3f, -4f, -0.5f, 0.5f, -8f, -0f);
    assertThat(models.resolve("own/1/model.json")).as("the derived model.json is not written").doesNotExist();
  }

  /** Starts the inference module on {@code models} with these desired properties, and the driver. */
  private void start(Path models, String twin) throws Exception {
    ObjectNode desired = (ObjectNode) JSON.readTree(twin);
    desired.put("repository", models.toString());
    desired.put("sharedDirectory", Files.createDirectories(dir.resolve("shared")).toString());
    runtime = InferenceRuntimes.start(dir, ROUTES, desired, driver, new PrometheusRegistry());
  }

  private static void version(Path models, String name, String type) throws Exception {
    Path directory = Files.createDirectories(models.resolve(name).resolve("1"));
    Files.writeString(directory.resolve("model.json"), """
        {"name": "%s", "description": "y = 2 x in %s",
         "inputs": [{"name": "x", "type": "%s", "shape": [-1, 4]}],
         "outputs": [{"name": "y", "type": "%s", "shape": [-1, 4]}],
         "warmup": {"runs": 1}}""".formatted(name, type, type, type));
  }

  private JsonNode infer(String body) throws Exception {
    String correlationId = JSON.readTree(body).get("correlationId").asText();
    driver.send("infer", EdgeMessage.json(body));
    return await().atMost(WAIT).until(() -> driver.on("results").stream()
        .filter(m -> m.correlationId().orElse("").equals(correlationId)).findFirst(), Optional::isPresent).get()
        .bodyAsJson();
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> values = new ArrayList<>();
    array.forEach(v -> values.add(v.floatValue()));
    return values;
  }

  private static String littleEndian(int... halves) {
    ByteBuffer b = ByteBuffer.allocate(halves.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int h : halves) {
      b.putShort((short) h);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }
}
