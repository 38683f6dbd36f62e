package io.edgeai4j.inference.serving;

import static io.edgeai4j.inference.serving.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bring your own model: a version directory with only {@code model.onnx} is served with the {@code model.json}
 * derived from the graph, and every descriptor writes itself back as the {@code model.json} it was read from.
 */
class DerivedModelJsonTest extends ServerTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}: batching {3}")
  @CsvSource(delimiter = '|', textBlock = """
      open batch everywhere       | -1 4      | -1 2     | 32
      fixed batch input           | 1 4       | -1 2     | 1
      fixed batch output          | -1 4      | 1 2      | 1
      scalar input (no dimension) |           | -1 2     | 1
      open width, open batch      | -1 -1     | -1 -1    | 32
      """)
  void batchingIsOnWhereTheFirstDimensionIsOpenEverywhere(String what, String input, String output, int maxBatch) {
    ModelDescriptor d = ModelDescriptor.derive("m", List.of(spec("x", ElementType.FLOAT16, input)),
        List.of(spec("y", ElementType.FLOAT32, output)));

    assertThat(d.batching().maxBatchSize()).isEqualTo(maxBatch);
    assertThat(d.name()).isEqualTo("m");
    assertThat(d.inputs()).containsExactly(spec("x", ElementType.FLOAT16, input));
    assertThat(d.warmupRuns()).isEqualTo(ModelDescriptor.DEFAULT_WARMUP_RUNS);
    assertThat(d.labels()).isEmpty();
    assertThat(d.featureInput()).isEmpty();
  }

  @Test
  void everyDescriptorReadsBackFromTheJsonItWrites() throws Exception {
    String full = """
        {"name": "clf", "description": "a classifier",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "p", "type": "float32", "shape": [-1, 2]}, {"name": "k", "type": "int64", "shape": [-1]}],
         "labels": {"output": "p", "classes": ["ok", "bad"]},
         "featureInput": {"input": "x", "fields": ["rms", "kurtosis", "bands.band0"], "mean": [0.0, 3.0, 0.5],
                          "scale": [1.0, 2.0, 4.0]},
         "batching": {"maxBatchSize": 8, "maxQueueDelayMicros": 250, "maxQueueSize": 99, "requestTimeoutMillis": 1500,
                      "instances": 2, "adaptive": false},
         "warmup": {"runs": 5}}""";
    ModelDescriptor read = ModelDescriptor.parse(JSON.readTree(full));
    ModelDescriptor derived = ModelDescriptor.derive("own", List.of(spec("a", ElementType.BFLOAT16, "-1 7")),
        List.of(spec("b", ElementType.INT32, "-1")));
    // description is optional: one read without it is written without it (not as "", which read() refuses).
    ModelDescriptor undescribed = ModelDescriptor.parse(JSON.readTree("""
        {"name": "bare", "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "p", "type": "float32", "shape": [-1, 2]}]}"""));
    assertThat(undescribed.toJson().has("description")).isFalse();

    for (ModelDescriptor d : List.of(read, derived, undescribed)) {
      JsonNode written = d.toJson();
      ModelDescriptor again = ModelDescriptor.parse(written);
      assertThat(again.toString()).isEqualTo(d.toString());
      assertThat(again.labels()).isEqualTo(d.labels());
      assertThat(again.featureInput()).isEqualTo(d.featureInput());
      assertThat(again.description()).isEqualTo(d.description());
      assertThat(again.toJson()).isEqualTo(written);
    }
    assertThat(read.toJson().toString()).isEqualTo(JSON.readTree(full).toString());
  }

  @Test
  void aVersionWithOnlyModelOnnxIsServedWithTheDescriptorDerivedFromIt() throws Exception {
    f.repo.scale("own", 1, 3, 2f, "{}");
    Files.delete(root.resolve("own/1/model.json"));

    f.server.apply(new ServingConfig(root, Map.of("own", VersionPolicy.latest(1))));

    VersionStatus v = f.server.models().get(0).versions().get(0);
    assertThat(v.state()).as(v.detail()).isEqualTo(VersionState.READY);
    Optional<ModelDescriptor> descriptor = f.server.descriptor("own", 1);
    assertThat(descriptor).isPresent();
    assertThat(descriptor.get().inputs()).containsExactly(spec("x", ElementType.FLOAT32, "-1 3"));
    assertThat(descriptor.get().outputs()).containsExactly(spec("y", ElementType.FLOAT32, "-1 3"));
    assertThat(descriptor.get().batching()).isEqualTo(ModelDescriptor.Batching.DEFAULT);
    assertThat(f.server.infer(request("own", null, 2, 3, 1)).get().outputs().get("y").toFloats())
        .containsExactly(2f, 4f, 6f, 8f, 10f, 12f);
  }

  @Test
  void aVersionWithNeitherFileNamesTheModelItNeeds() throws Exception {
    Files.createDirectories(root.resolve("none/1"));

    f.server.apply(new ServingConfig(root, Map.of("none", VersionPolicy.latest(1))));

    VersionStatus v = f.server.models().get(0).versions().get(0);
    assertThat(v.state()).isEqualTo(VersionState.FAILED);
    assertThat(v.detail()).isEqualTo(root.resolve("none/1/model.onnx") + ": no such file (every version directory"
        + " needs a model.onnx, and a model.json unless the one derived from the model will do)");
  }

  private static TensorSpec spec(String name, ElementType type, String dims) {
    long[] shape = dims == null || dims.isBlank() ? new long[0]
        : java.util.Arrays.stream(dims.trim().split(" +")).mapToLong(Long::parseLong).toArray();
    return new TensorSpec(name, type, shape);
  }
}
