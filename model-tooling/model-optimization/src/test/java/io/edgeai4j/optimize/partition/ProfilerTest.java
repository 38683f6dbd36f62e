package io.edgeai4j.optimize.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles the Fashion-MNIST CNN on this machine with ONNX Runtime's profiler. */
class ProfilerTest {
  private static final Path CNN = Path.of("src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");

  @TempDir static Path dir;
  private static Path data;
  private static ModelProfile profile;

  @BeforeAll
  static void profileOnce() throws Exception {
    long[] shape;
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession s = OrtEnvironment.getEnvironment().createSession(CNN.toString(), o)) {
      shape = ((TensorInfo) s.getInputInfo().values().iterator().next().getInfo()).getShape();
    }
    shape[0] = 4;
    int per = 1;
    for (int i = 1; i < shape.length; i++) {
      per *= (int) shape[i];
    }
    double[] values = new double[4 * per];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble();
    }
    data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(new DataTensor("input", 1, shape, values)), Optional.empty(), 2);
    profile = Profiler.profile(CNN, data, new ProfileOptions(1, 7, 3));
  }

  @Test
  void everyNodeHasOneEntryTimedOverTheMeasuredRunsOnly() throws Exception {
    OnnxMl.ModelProto model = NodeNames.named(OnnxModelFile.read(CNN));
    assertThat(profile.nodes()).extracting(ModelProfile.NodeTiming::name)
        .containsExactlyElementsOf(model.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getName).toList());
    assertThat(profile.nodes()).filteredOn(n -> n.opType().equals("Conv")).isNotEmpty()
        .allSatisfy(n -> {
          assertThat(n.samples()).as("warm-up runs excluded").isEqualTo(7);
          assertThat(n.meanMicros()).isPositive();
          assertThat(n.p50Micros()).isPositive();
          assertThat(n.stddevMicros()).isNotNegative();
        });
    assertThat(profile.runs()).isEqualTo(7);
    assertThat(profile.warmupRuns()).isEqualTo(3);
    assertThat(profile.graphOptimization()).isEqualTo("disabled");
    assertThat(profile.sha256()).isEqualTo(Profiler.sha256(CNN)).hasSize(64);
  }

  @Test
  void everyTensorHasItsTypeShapeAndBytesForOneRow() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(CNN);
    String input = model.getGraph().getInput(0).getName();
    ModelProfile.TensorSize in = profile.tensors().get(input);
    assertThat(in.elementType()).isEqualTo("FLOAT");
    assertThat(in.shape()[0]).isEqualTo(1);
    assertThat(in.bytes()).isEqualTo(4 * in.elements()).isEqualTo(4L * 28 * 28);
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      for (String output : node.getOutputList()) {
        assertThat(profile.tensors()).containsKey(output);
        ModelProfile.TensorSize t = profile.tensors().get(output);
        assertThat(t.bytes()).isEqualTo(t.elements() * Profiler.elementBytes(t.elementType()));
      }
    }
    String output = model.getGraph().getOutput(0).getName();
    assertThat(profile.tensors().get(output).shape()).containsExactly(1, 10);
  }

  @Test
  void recordsTheMachineAndTheCodecCosts() {
    assertThat(profile.machine().cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(profile.machine().onnxRuntime()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(profile.machine().threads()).isEqualTo(1);
    assertThat(profile.machine().cpu()).isNotBlank();
    assertThat(profile.codecs()).containsOnlyKeys("float32", "float16", "int8")
        .allSatisfy((k, c) -> assertThat(c.encodeNanosPerElement()).isPositive());
  }

  @Test
  void aProfileRoundTripsThroughJson() throws Exception {
    Path file = dir.resolve("out/profile.json");
    ProfileJson.write(profile, file);
    ModelProfile read = ProfileJson.read(file);
    assertThat(read.nodes()).isEqualTo(profile.nodes());
    assertThat(read.tensors().keySet()).isEqualTo(profile.tensors().keySet());
    assertThat(read.sha256()).isEqualTo(profile.sha256());
  }

  @Test
  void refusesWhatIsNoProfileAndDataOfTheWrongShape() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"model\": \"m.onnx\"}");
    assertThatThrownBy(() -> ProfileJson.read(bad)).isInstanceOf(PartitionException.class)
        .hasMessageContaining("bad.json: not a profile of edge model profile");
    assertThatThrownBy(() -> ProfileJson.read(dir.resolve("missing.json"))).isInstanceOf(PartitionException.class)
        .hasMessageContaining("missing.json: no such file");
    Path wrong = dir.resolve("wrong");
    TestDataSetWriter.write(wrong, List.of(new DataTensor("input", 1, new long[] {1, 3}, new double[3])),
        Optional.empty(), 1);
    assertThatThrownBy(() -> Profiler.profile(CNN, wrong, new ProfileOptions(1, 1, 0)))
        .isInstanceOf(PartitionException.class).hasMessageContaining("ONNX Runtime");
  }
}
