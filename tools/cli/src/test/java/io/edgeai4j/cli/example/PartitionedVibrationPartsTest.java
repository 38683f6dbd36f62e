package io.edgeai4j.cli.example;

import static io.edgeai4j.cli.example.PartitionedVibration.EXAMPLE;
import static io.edgeai4j.cli.example.PartitionedVibration.MODEL_VERSION;
import static io.edgeai4j.cli.example.PartitionedVibration.PART_0;
import static io.edgeai4j.cli.example.PartitionedVibration.PART_1;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.split.HorizontalSplit;
import io.edgeai4j.optimize.split.ModelSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The part models committed under {@code deployment-manifests/partitioned-vibration/models/} cannot drift from the
 * committed {@code model-repository/vibration-cnn/1}: the plan they came from is of that model (SHA-256), they are
 * byte for byte a fresh split of it at the plan's cut, their model.json files carry what the inference module needs
 * (partition blocks, the unsplit model's labels and windowInput), and composed they give the model's output exactly.
 */
class PartitionedVibrationPartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thePlanIsOfTheCommittedModelAndThePartsAreAFreshSplitAtItsCut() throws Exception {
    JsonNode plan = JSON.readTree(EXAMPLE.resolve("models/plan.json").toFile());
    Path model = MODEL_VERSION.resolve("model.onnx");
    assertThat(plan.get("sha256").asText()).as("plan.json is of the committed model; regenerate the parts (README)")
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model))));
    assertThat(plan.at("/tiers").toString()).isEqualTo("[\"device\",\"edge\"]");

    List<Set<String>> cuts = new ArrayList<>();
    plan.at("/best/cuts").forEach(cut -> {
      Set<String> tensors = new LinkedHashSet<>();
      cut.forEach(t -> tensors.add(t.asText()));
      cuts.add(tensors);
    });
    assertThat(cuts).as("one cut between the gateway and the edge node").hasSize(1);
    ModelSplit split = HorizontalSplit.split(OnnxModelFile.read(model), cuts);

    assertThat(split.parts()).hasSize(2);
    List<Path> committed = List.of(PART_0.resolve("model.onnx"), PART_1.resolve("model.onnx"));
    for (int i = 0; i < 2; i++) {
      assertThat(Files.readAllBytes(committed.get(i))).as(committed.get(i) + " = part %d of a fresh split", i)
          .isEqualTo(split.parts().get(i).model().toByteArray());
    }
    assertThat(split.parts().get(0).outputs()).containsExactlyElementsOf(cuts.get(0));
    assertThat(split.parts().get(1).inputs()).containsExactlyElementsOf(cuts.get(0));
  }

  @Test
  void theModelJsonOfEachPartCarriesThePartitionAndTheUnsplitModelsBlocks() throws Exception {
    JsonNode original = JSON.readTree(MODEL_VERSION.resolve("model.json").toFile());
    JsonNode part0 = JSON.readTree(PART_0.resolve("model.json").toFile());
    JsonNode part1 = JSON.readTree(PART_1.resolve("model.json").toFile());
    String cut = JSON.readTree(EXAMPLE.resolve("models/plan.json").toFile()).at("/best/cuts/0/0").asText();

    assertThat(part0.get("name").asText()).isEqualTo("vibration-cnn-part-0");
    assertThat(part0.get("partition")).isEqualTo(JSON.readTree("""
        {"model": "vibration-cnn", "part": 0, "parts": 2, "next": "vibration-cnn-part-1",
         "activationEncoding": "float32"}"""));
    assertThat(part0.get("windowInput")).isEqualTo(original.get("windowInput"));
    assertThat(part0.at("/inputs/0")).isEqualTo(original.at("/inputs/0"));
    assertThat(part0.at("/outputs/0/name").asText()).isEqualTo(cut);

    assertThat(part1.get("name").asText()).isEqualTo("vibration-cnn-part-1");
    assertThat(part1.get("partition")).isEqualTo(JSON.readTree("""
        {"model": "vibration-cnn", "part": 1, "parts": 2, "activationEncoding": "float32"}"""));
    assertThat(part1.get("labels")).isEqualTo(original.get("labels"));
    assertThat(part1.at("/inputs/0/name").asText()).isEqualTo(cut);
    assertThat(part1.at("/outputs/0")).isEqualTo(original.at("/outputs/0"));
  }

  /** Windows of a healthy and of a faulty machine through part 0 then part 1, against the unsplit model. */
  @Test
  void composingThePartsGivesTheModelsOutputExactly() throws Exception {
    ObjectNode healthy = (ObjectNode) JSON.readTree("""
        {"type": "simulator", "seed": 7, "sampleRateHz": 5000, "rpm": 1500, "durationSeconds": 3}""");
    ObjectNode faulty = (ObjectNode) JSON.readTree("""
        {"type": "simulator", "seed": 8, "sampleRateHz": 5000, "rpm": 1650, "durationSeconds": 3,
         "faults": {"f": {"kind": "outerRace", "onsetSeconds": 0, "severity": 1}}}""");
    List<PartitionedVibration.Window> windows = new ArrayList<>(PartitionedVibration.windows(healthy, 4096, 2048));
    windows.addAll(PartitionedVibration.windows(faulty, 4096, 2048));
    assertThat(windows).hasSize(12);

    OnnxMl.ModelProto part0 = OnnxModelFile.read(PART_0.resolve("model.onnx"));
    long[] cutShape = part0.getGraph().getOutput(0).getType().getTensorType().getShape().getDimList().stream()
        .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : 1).toArray();
    List<String> predicted = new ArrayList<>();
    try (OrtSession unsplit = PartitionedVibration.session(MODEL_VERSION.resolve("model.onnx"));
        OrtSession first = PartitionedVibration.session(PART_0.resolve("model.onnx"));
        OrtSession second = PartitionedVibration.session(PART_1.resolve("model.onnx"))) {
      for (PartitionedVibration.Window w : windows) {
        float[] expected = PartitionedVibration.run(unsplit, w.values(), 1, 1, 4096);
        float[] activations = PartitionedVibration.run(first, w.values(), 1, 1, 4096);
        float[] composed = PartitionedVibration.run(second, activations, cutShape);

        assertThat(composed).as("window %d of %s", w.index(), w.sensor()).containsExactly(expected);
        predicted.add(PartitionedVibration.CLASSES.get(PartitionedVibration.argmax(composed)));
      }
    }
    // Not a constant: the composition tells the healthy machine from the bearing fault.
    assertThat(predicted).contains("normal", "outerRace");
  }
}
