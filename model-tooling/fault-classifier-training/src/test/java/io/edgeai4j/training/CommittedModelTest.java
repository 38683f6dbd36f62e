package io.edgeai4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.onnxruntime.OnnxRuntimeCpuProvider;
import io.edgeai4j.inference.serving.GoldenCheckException;
import io.edgeai4j.inference.serving.GoldenSamples;
import io.edgeai4j.inference.serving.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed {@code model-repository/fault-classifier/1}: its contract, and its accuracy on runs it never saw. */
class CommittedModelTest {
  /** The committed version, from the module folder (where surefire runs). */
  static final Path VERSION_DIRECTORY = Path.of("../../model-repository/fault-classifier/1");
  /** Held-out runs that neither the training nor the README's test set contains. */
  static final ScenarioPlan FRESH = new ScenarioPlan(3, 6, Duration.ofSeconds(12));
  /** The README's test accuracy is 0.9365; a fresh set of other runs must reach this. */
  static final double MIN_ACCURACY = 0.88;

  private static OnnxClassifier model;
  private static JsonNode json;
  private static ConfusionMatrix fresh;

  @BeforeAll
  static void load() throws Exception {
    model = new OnnxClassifier(VERSION_DIRECTORY.resolve("model.onnx"));
    json = new ObjectMapper().readTree(Files.readString(VERSION_DIRECTORY.resolve("model.json")));
    fresh = model.evaluate(FeatureDataset.generate(FRESH.scenarios()));
    System.out.println("committed model on fresh runs (seed 3, 6 per class):\n" + fresh.report());
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @Test
  void modelJsonNamesTheOnnxInputsAndOutputsWithTheirTypesAndShapes() throws Exception {
    assertThat(json.get("name").asText()).isEqualTo("fault-classifier");
    assertSameTensors(json.get("inputs"), model.session().getInputInfo());
    assertSameTensors(json.get("outputs"), model.session().getOutputInfo());
    assertThat(json.at("/inputs/0/shape").toString()).isEqualTo("[-1,10]");
    assertThat(json.at("/outputs/0/shape").toString()).isEqualTo("[-1,5]");
  }

  @Test
  void labelsAndFeatureInputMatchTheTrainingCode() {
    assertThat(json.at("/labels/output").asText()).isEqualTo("probabilities");
    assertThat(texts(json.at("/labels/classes"))).containsExactly("normal", "imbalance", "misalignment",
        "outerRace", "innerRace");
    assertThat(json.at("/featureInput/input").asText()).isEqualTo("features");
    assertThat(texts(json.at("/featureInput/fields"))).isEqualTo(FeatureVector.FIELDS);
    // The graph standardises itself (after a logarithm), so the module's linear step is the identity.
    assertThat(json.at("/featureInput/mean")).hasSize(10).allMatch(v -> v.asDouble() == 0.0);
    assertThat(json.at("/featureInput/scale")).hasSize(10).allMatch(v -> v.asDouble() == 1.0);
    assertThat(json.at("/batching/maxBatchSize").asInt()).isEqualTo(32);
    assertThat(json.at("/warmup/runs").asInt()).isEqualTo(3);
  }

  @Test
  void warmupOnZerosGivesFiniteProbabilitiesThatSumToOne() throws Exception {
    float[][] p = model.probabilities(List.of(new double[10], new double[10]));
    assertThat(p).hasDimensions(2, 5);
    for (float[] row : p) {
      double sum = 0;
      for (float v : row) {
        assertThat(v).isFinite().isBetween(0f, 1f);
        sum += v;
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void accuracyOnFreshRunsIsAtLeastTheStatedThreshold() {
    assertThat(fresh.total()).isEqualTo(5 * 6 * 57);
    assertThat(fresh.accuracy()).isGreaterThanOrEqualTo(MIN_ACCURACY);
  }

  /**
   * Per-class floors, below what these fresh runs measured (README). Healthy windows must not raise alerts, and
   * faults must not pass for healthy: normal's precision and recall stay near 1.
   */
  @ParameterizedTest
  @CsvSource({
      "NORMAL,       0.98, 0.98",
      "IMBALANCE,    0.80, 0.90",
      "MISALIGNMENT, 0.90, 0.78",
      "OUTER_RACE,   0.78, 0.78",
      "INNER_RACE,   0.78, 0.78"})
  void eachClassKeepsItsPrecisionAndRecall(FaultClass c, double minPrecision, double minRecall) {
    assertThat(fresh.precision(c)).as("precision of %s", c).isGreaterThanOrEqualTo(minPrecision);
    assertThat(fresh.recall(c)).as("recall of %s", c).isGreaterThanOrEqualTo(minRecall);
  }

  /**
   * The committed {@code golden.json} passes the model server's golden check (its own {@link GoldenSamples} code) on
   * the committed model run by the ONNX Runtime backend, and holds the first held-out window of each class.
   */
  @Test
  void theCommittedGoldenSamplesPassTheGoldenCheckOnTheCommittedModelWithOnnxRuntime() throws Exception {
    Path file = VERSION_DIRECTORY.resolve(GoldenSamples.FILE_NAME);
    assertThat(file).as("the training step writes golden.json beside model.onnx").isRegularFile();
    GoldenSamples golden = GoldenSamples.read(file);
    assertThat(golden.samples()).hasSize(FaultClass.values().length);
    ModelDescriptor descriptor = ModelDescriptor.read(VERSION_DIRECTORY.resolve("model.json"));
    try (InferenceBackend ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
        LoadedModel loaded = ort.load(VERSION_DIRECTORY.resolve("model.onnx"), descriptor.inputs())) {
      golden.check(loaded, descriptor.inputs());
    }
    // The samples are those the training step writes: the first held-out window of each class.
    List<double[]> rows = GoldenWriter.rows(FeatureDataset.generate(TrainingRecipe.TEST.scenarios()));
    for (int i = 0; i < rows.size(); i++) {
      float[] input = golden.samples().get(i).inputs().get(ModelExporter.INPUT).toFloats();
      float[] expected = new float[rows.get(i).length];
      for (int c = 0; c < expected.length; c++) {
        expected[c] = (float) rows.get(i)[c];
      }
      assertThat(input).as("sample %d", i).containsExactly(expected);
    }
  }

  /** The training step's {@link GoldenWriter} writes, for the committed model, exactly the committed file. */
  @Test
  void theGoldenWriterReproducesTheCommittedGoldenJson(@TempDir Path dir) throws Exception {
    java.nio.file.Files.copy(VERSION_DIRECTORY.resolve("model.onnx"), dir.resolve("model.onnx"));
    Path written = GoldenWriter.write(dir, GoldenWriter.rows(FeatureDataset.generate(TrainingRecipe.TEST.scenarios())));
    assertThat(written).hasSameTextualContentAs(VERSION_DIRECTORY.resolve(GoldenSamples.FILE_NAME));
  }

  /** The golden check fails on a model whose outputs differ: the samples are not vacuous. */
  @Test
  void theCommittedGoldenSamplesFailOnAnotherModel(@TempDir Path dir) throws Exception {
    GoldenSamples golden = GoldenSamples.read(VERSION_DIRECTORY.resolve(GoldenSamples.FILE_NAME));
    ModelDescriptor descriptor = ModelDescriptor.read(VERSION_DIRECTORY.resolve("model.json"));
    Path other = dir.resolve("model.onnx");
    java.nio.file.Files.write(other, ModelExporter.onnxModel(FaultClassifierTrainer.train(
        FeatureDataset.generate(new ScenarioPlan(9, 2, Duration.ofSeconds(6)).scenarios())), 1).toByteArray());
    try (InferenceBackend ort = new OnnxRuntimeCpuProvider().open(BackendOptions.DEFAULT);
        LoadedModel loaded = ort.load(other, descriptor.inputs())) {
      assertThatThrownBy(() -> golden.check(loaded, descriptor.inputs())).isInstanceOf(GoldenCheckException.class);
    }
  }

  private static void assertSameTensors(JsonNode declared, Map<String, NodeInfo> actual) {
    assertThat(declared).hasSize(actual.size());
    for (JsonNode tensor : declared) {
      NodeInfo node = actual.get(tensor.get("name").asText());
      assertThat(node).as("tensor %s in the ONNX model", tensor.get("name")).isNotNull();
      TensorInfo info = (TensorInfo) node.getInfo();
      assertThat(tensor.get("type").asText()).isEqualTo("float32");
      assertThat(info.type).isEqualTo(OnnxJavaType.FLOAT);
      List<Long> shape = new ArrayList<>();
      tensor.get("shape").forEach(d -> shape.add(d.asLong()));
      assertThat(info.getShape()).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      out.add(it.next().asText());
    }
    return out;
  }
}
