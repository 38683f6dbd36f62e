package io.edgeai4j.train.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.FashionMnistFiles;
import io.edgeai4j.train.fashion.FashionMnist;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.train.graph.GraphProgram;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationRankingTest {
  static final Path TEACHER = Path.of("../model-optimization/src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");

  @TempDir Path dir;

  @Test
  void meanAbsoluteActivationsOnRealImagesAreWhatTheGraphComputes() throws Exception {
    OnnxMl.ModelProto teacher = OnnxModelFile.read(TEACHER);
    LabelledRows rows = FashionMnist.test(FashionMnistFiles.dir()).slice(0, 300);
    Path data = writeSets(rows, dir.resolve("calibration"));
    Map<String, OnnxMl.NodeProto> candidates = StructuredPruning.candidates(teacher);
    String conv2 = candidates.keySet().stream().skip(1).findFirst().orElseThrow();

    Map<String, double[]> ranked = ActivationRanking.meanAbsolute(teacher, candidates.keySet(),
        TestDataSets.open(data), null);

    assertThat(ranked).containsOnlyKeys(candidates.keySet());
    assertThat(ranked.get(conv2)).hasSize(96);
    // Independently: DJL's run of the same graph, cut at conv2, averaged here.
    OnnxMl.ModelProto cut = teacher.toBuilder().setGraph(teacher.getGraph().toBuilder().clearOutput()
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(conv2))).build();
    double[] expected = new double[96];
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        GraphProgram program = GraphProgram.compile(cut, base); NDManager batch = base.newSubManager()) {
      float[] y = program.forward(new NDList(batch.create(rows.values(), new Shape(300, 1, 28, 28))), false)
          .head().toFloatArray();
      int inner = y.length / (300 * 96);
      for (int k = 0; k < y.length; k++) {
        expected[(k / inner) % 96] += Math.abs(y[k]) / (300.0 * inner);
      }
    }
    for (int c = 0; c < 96; c++) {
      assertThat(ranked.get(conv2)[c]).as("channel %d", c).isCloseTo(expected[c], within(1e-4 * expected[c] + 1e-6));
    }
    // The channels differ: a ranking, not a constant.
    double[] sorted = ranked.get(conv2).clone();
    Arrays.sort(sorted);
    assertThat(sorted[95]).isGreaterThan(2 * sorted[0]);
  }

  @Test
  void theShareNotZeroedByTheReluOnRealImagesIsWhatTheGraphComputes() throws Exception {
    OnnxMl.ModelProto teacher = OnnxModelFile.read(TEACHER);
    LabelledRows rows = FashionMnist.test(FashionMnistFiles.dir()).slice(0, 200);
    Path data = writeSets(rows, dir.resolve("calibration"));
    Map<String, OnnxMl.NodeProto> candidates = StructuredPruning.candidates(teacher);
    String conv1 = candidates.keySet().iterator().next();

    Map<String, double[]> ranked = ActivationRanking.rank(teacher, candidates.keySet(), TestDataSets.open(data),
        ActivationRanking.Statistic.NONZERO_AFTER_RELU, null);

    // Independently: DJL's run of the graph cut at conv1, positions above 0 counted here.
    OnnxMl.ModelProto cut = teacher.toBuilder().setGraph(teacher.getGraph().toBuilder().clearOutput()
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(conv1))).build();
    double[] expected;
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        GraphProgram program = GraphProgram.compile(cut, base); NDManager batch = base.newSubManager()) {
      float[] y = program.forward(new NDList(batch.create(rows.values(), new Shape(200, 1, 28, 28))), false)
          .head().toFloatArray();
      int channels = ranked.get(conv1).length;
      int inner = y.length / (200 * channels);
      expected = new double[channels];
      for (int k = 0; k < y.length; k++) {
        expected[(k / inner) % channels] += y[k] > 0 ? 1.0 / (200.0 * inner) : 0;
      }
    }
    assertThat(ranked.get(conv1)).hasSize(32);
    for (int c = 0; c < 32; c++) {
      // A value within float rounding of 0 may land on either side in ONNX Runtime and in PyTorch.
      assertThat(ranked.get(conv1)[c]).as("channel %d", c).isBetween(0.0, 1.0).isCloseTo(expected[c], within(1e-3));
    }
    assertThat(Arrays.stream(ranked.get(conv1)).max().getAsDouble())
        .isGreaterThan(Arrays.stream(ranked.get(conv1)).min().getAsDouble() + 0.1);
  }

  @Test
  void pruningTheLeastActiveFiltersCostsLessAccuracyThanPruningTheMostActive() throws Exception {
    OnnxMl.ModelProto teacher = OnnxModelFile.read(TEACHER);
    LabelledRows rows = FashionMnist.test(FashionMnistFiles.dir()).slice(0, 1000);
    Path data = writeSets(rows.slice(0, 300), dir.resolve("calibration"));
    Map<String, OnnxMl.NodeProto> candidates = StructuredPruning.candidates(teacher);
    Map<String, double[]> ranked = ActivationRanking.meanAbsolute(teacher, candidates.keySet(),
        TestDataSets.open(data), null);
    Map<String, double[]> inverted = new HashMap<>();
    ranked.forEach((k, v) -> inverted.put(k, Arrays.stream(v).map(x -> -x).toArray()));

    double least = accuracy(StructuredPruning.prune(teacher, 0.5, ranked).model(), rows);
    double most = accuracy(StructuredPruning.prune(teacher, 0.5, inverted).model(), rows);

    assertThat(least).isGreaterThan(most + 0.05);
  }

  @Test
  void dataOfAnotherInputCountIsRefusedNamingTheSet() throws Exception {
    OnnxMl.ModelProto teacher = OnnxModelFile.read(TEACHER);
    LabelledRows rows = FashionMnist.test(FashionMnistFiles.dir()).slice(0, 10);
    DataTensor x = new DataTensor("image", OnnxMl.TensorProto.DataType.FLOAT.getNumber(), new long[] {10, 1, 28, 28},
        toDoubles(rows.values()));
    Path data = dir.resolve("two");
    TestDataSetWriter.write(data, java.util.List.of(x, x), Optional.empty(), 10);
    assertThatThrownBy(() -> ActivationRanking.meanAbsolute(teacher, StructuredPruning.candidates(teacher).keySet(),
        TestDataSets.open(data), null)).isInstanceOf(PruningException.class)
        .hasMessageContaining("test_data_set_0: holds 2 input(s); expected 1 (the model's inputs [image])");
  }

  static double accuracy(OnnxMl.ModelProto model, LabelledRows rows) throws Exception {
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
        GraphProgram program = GraphProgram.compile(model, base)) {
      return io.edgeai4j.train.fit.SupervisedTrainer.accuracy(program, rows, base);
    }
  }

  static Path writeSets(LabelledRows rows, Path root) throws Exception {
    long[] shape = new long[] {rows.rows(), 1, 28, 28};
    DataTensor x = new DataTensor("image", OnnxMl.TensorProto.DataType.FLOAT.getNumber(), shape,
        toDoubles(rows.values()));
    double[] labels = Arrays.stream(rows.labels()).asDoubleStream().toArray();
    DataTensor y = new DataTensor("labels", OnnxMl.TensorProto.DataType.INT64.getNumber(),
        new long[] {rows.rows()}, labels);
    TestDataSetWriter.write(root, java.util.List.of(x), Optional.of(y), 100);
    return root;
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int k = 0; k < f.length; k++) {
      d[k] = f[k];
    }
    return d;
  }
}
