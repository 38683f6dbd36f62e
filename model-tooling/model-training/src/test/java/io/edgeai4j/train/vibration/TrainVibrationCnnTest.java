package io.edgeai4j.train.vibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import io.edgeai4j.training.ConfusionMatrix;
import io.edgeai4j.training.ScenarioPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe in a tiny configuration (the committed architecture's stages, kernels, strides and pools with a quarter
 * of its channels, on 3 runs a class of 6 s, one epoch): it trains through {@code GraphProgram}'s 1-D kernels, writes a
 * version directory that ONNX Runtime loads and scores as training measured, and the same recipe gives the same bytes.
 * The full recipe is run by hand (README); the committed channels would make this test 16 times slower.
 */
class TrainVibrationCnnTest {
  static final TrainVibrationCnn.Recipe TINY = new TrainVibrationCnn.Recipe(
      narrow(VibrationCnnGraph.Architecture.DEFAULT),
      3, new ScenarioPlan(21, 3, Duration.ofSeconds(6)), new ScenarioPlan(22, 1, Duration.ofSeconds(4)),
      new ScenarioPlan(23, 1, Duration.ofSeconds(4)), 1024,
      TrainingOptions.builder().epochs(1).batchSize(16).learningRate(1e-3f).seed(5).patience(1).build());

  private static final StringWriter LOG = new StringWriter();
  private static TrainingResult result;

  @BeforeAll
  static void trainOnce() throws Exception {
    result = TrainVibrationCnn.train(TINY, new PrintWriter(LOG, true));
  }

  @Test
  void theRecipeTrainsAndWritesAVersionThatOnnxRuntimeLoadsAndScoresAsTrainingDid(@TempDir Path dir)
      throws Exception {
    String log = LOG.toString();
    assertThat(result.epochs()).hasSize(1);
    assertThat(result.bestEpoch()).as("the epoch improved on the untrained graph: %s", log).isEqualTo(1);
    assertThat(result.bestValidationAccuracy()).isGreaterThan(result.initialValidationAccuracy());
    assertThat(log).contains("windows: train ").contains("epoch 1/1");
    TrainVibrationCnn.writeVersion(result.model(), TINY, TINY.windows(TINY.test()), dir);

    assertThat(dir.resolve("model.onnx")).isRegularFile();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
    assertThat(json.get("windowInput").get("length").asInt()).isEqualTo(4096);
    JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
    assertThat(golden.get("samples")).hasSize(5);
    assertThat(golden.get("samples").get(0).get("inputs").get("window").get("data")).hasSize(4096);

    try (VibrationCnnScorer scorer = new VibrationCnnScorer(dir.resolve("model.onnx"), 1)) {
      assertThat(scorer.session().getInputNames()).containsExactly("window");
      assertThat(scorer.session().getOutputNames()).containsExactly("probabilities");
      // ONNX Runtime's 1-D Conv, MaxPool and GlobalAveragePool agree with the training kernels: the validation
      // windows score what training measured (within one window, for float rounding at a near tie).
      List<RawWindow> validation = TINY.windows(TINY.validation());
      ConfusionMatrix matrix = scorer.evaluate(validation);
      assertThat(matrix.total()).isEqualTo(validation.size());
      assertThat(matrix.accuracy()).isCloseTo(result.bestValidationAccuracy(), within(1.0 / validation.size()));
      float[][] p = scorer.probabilities(List.of(validation.get(0).values()));
      double sum = 0;
      for (float v : p[0]) {
        sum += v;
      }
      assertThat(sum).isCloseTo(1.0, within(1e-5));
    }
  }

  /** {@code architecture} with a quarter of each stage's channels (at least 2). */
  static VibrationCnnGraph.Architecture narrow(VibrationCnnGraph.Architecture architecture) {
    return new VibrationCnnGraph.Architecture(architecture.length(), architecture.stages().stream()
        .map(s -> new VibrationCnnGraph.Stage(Math.max(2, s.channels() / 4), s.kernel(), s.stride(), s.pool()))
        .toList(), architecture.hidden(), architecture.classes());
  }

  @Test
  void theSameRecipeGivesTheSameBytes() throws Exception {
    byte[] a = result.model().toByteArray();
    byte[] b = TrainVibrationCnn.train(TINY, new PrintWriter(new StringWriter())).model().toByteArray();
    assertThat(Arrays.equals(a, b)).as("two trainings give the same bytes").isTrue();
    assertThat(Arrays.equals(a, TINY.initialGraph().toByteArray())).as("training changed the graph").isFalse();
  }
}
