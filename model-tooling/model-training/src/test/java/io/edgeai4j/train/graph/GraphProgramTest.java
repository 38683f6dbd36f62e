package io.edgeai4j.train.graph;

import static io.edgeai4j.train.Graphs.f;
import static io.edgeai4j.train.Graphs.i;
import static io.edgeai4j.train.Graphs.int64;
import static io.edgeai4j.train.Graphs.ints;
import static io.edgeai4j.train.Graphs.list;
import static io.edgeai4j.train.Graphs.model;
import static io.edgeai4j.train.Graphs.node;
import static io.edgeai4j.train.Graphs.positive;
import static io.edgeai4j.train.Graphs.random;
import static io.edgeai4j.train.Graphs.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.Graphs;
import io.edgeai4j.train.TrainingException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GraphProgramTest {
  private static NDManager base;

  @BeforeAll
  static void engine() {
    base = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    base.close();
  }

  /** One graph per kernel (and per attribute a kernel reads), run by DJL and by ONNX Runtime on the same input. */
  static Stream<Arguments> graphs() {
    long[] img = {2, 3, 7, 7};
    long[] mat = {4, 6};
    return Stream.of(
        Arguments.of("Conv 3x3, bias, pads 1", img, model(img, List.of(random("w", 1, 4, 3, 3, 3), random("b", 2, 4)),
            node("Conv", list("x", "w", "b"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))), 1e-5),
        Arguments.of("Conv strided, dilated, no bias", img, model(img, List.of(random("w", 3, 2, 3, 2, 2)),
            node("Conv", list("x", "w"), "y", ints("strides", 2, 1), ints("dilations", 2, 2))), 1e-5),
        Arguments.of("Conv grouped (depthwise)", new long[] {2, 4, 6, 6}, model(new long[] {2, 4, 6, 6},
            List.of(random("w", 4, 4, 1, 3, 3), random("b", 5, 4)),
            node("Conv", list("x", "w", "b"), "y", i("group", 4), ints("pads", 1, 1, 1, 1))), 1e-5),
        Arguments.of("Conv 1-D", new long[] {2, 3, 16}, model(new long[] {2, 3, 16},
            List.of(random("w", 6, 5, 3, 5), random("b", 7, 5)),
            node("Conv", list("x", "w", "b"), "y", ints("pads", 2, 2))), 1e-5),
        Arguments.of("Conv 1-D strided (the vibration CNN's first layer)", new long[] {2, 1, 64},
            model(new long[] {2, 1, 64}, List.of(random("w", 40, 4, 1, 7), random("b", 41, 4)),
                node("Conv", list("x", "w", "b"), "y", ints("strides", 2), ints("pads", 3, 3))), 1e-5),
        Arguments.of("MaxPool 1-D", new long[] {2, 3, 16}, model(new long[] {2, 3, 16}, List.of(),
            node("MaxPool", list("x"), "y", ints("kernel_shape", 4), ints("strides", 4))), 0),
        Arguments.of("GlobalAveragePool 1-D", new long[] {2, 3, 16}, model(new long[] {2, 3, 16}, List.of(),
            node("GlobalAveragePool", list("x"), "y")), 1e-6),
        Arguments.of("Gemm transB", mat, model(mat, List.of(random("w", 8, 5, 6), random("b", 9, 5)),
            node("Gemm", list("x", "w", "b"), "y", i("transB", 1))), 1e-5),
        Arguments.of("Gemm alpha, beta, 2-D C", mat, model(mat, List.of(random("w", 10, 6, 5), random("c", 11, 4, 5)),
            node("Gemm", list("x", "w", "c"), "y", f("alpha", 0.5f), f("beta", 2f))), 1e-5),
        Arguments.of("Gemm transA", new long[] {6, 4}, model(new long[] {6, 4}, List.of(random("w", 12, 6, 3)),
            node("Gemm", list("x", "w"), "y", i("transA", 1))), 1e-5),
        Arguments.of("MatMul batched", new long[] {2, 3, 4}, model(new long[] {2, 3, 4}, List.of(random("w", 13, 4, 5)),
            node("MatMul", list("x", "w"), "y")), 1e-5),
        Arguments.of("Add broadcast", img, model(img, List.of(random("b", 14, 3, 1, 1)),
            node("Add", list("x", "b"), "y")), 1e-6),
        Arguments.of("Sub", mat, model(mat, List.of(random("b", 15, 6)), node("Sub", list("x", "b"), "y")), 1e-6),
        Arguments.of("Mul", mat, model(mat, List.of(random("b", 16, 4, 1)), node("Mul", list("x", "b"), "y")), 1e-6),
        Arguments.of("Div", mat, model(mat, List.of(scalar("d", 4f)), node("Div", list("x", "d"), "y")), 1e-6),
        Arguments.of("Relu", img, model(img, List.of(), node("Relu", list("x"), "y")), 0),
        Arguments.of("LeakyRelu", img, model(img, List.of(), node("LeakyRelu", list("x"), "y", f("alpha", 0.2f))),
            1e-7),
        Arguments.of("Sigmoid", mat, model(mat, List.of(), node("Sigmoid", list("x"), "y")), 1e-6),
        Arguments.of("Tanh", mat, model(mat, List.of(), node("Tanh", list("x"), "y")), 1e-6),
        Arguments.of("Clip (inputs)", mat, model(mat, List.of(scalar("lo", -0.5f), scalar("hi", 1f)),
            node("Clip", list("x", "lo", "hi"), "y")), 0),
        Arguments.of("MaxPool 2x2 stride 2", img, model(img, List.of(),
            node("MaxPool", list("x"), "y", ints("kernel_shape", 2, 2), ints("strides", 2, 2))), 0),
        Arguments.of("MaxPool ceil_mode, pads", img, model(img, List.of(),
            node("MaxPool", list("x"), "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1), i("ceil_mode", 1))), 0),
        Arguments.of("AveragePool count_include_pad", img, model(img, List.of(),
            node("AveragePool", list("x"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                i("count_include_pad", 1))), 1e-6),
        Arguments.of("AveragePool pads excluded", img, model(img, List.of(),
            node("AveragePool", list("x"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))), 1e-6),
        Arguments.of("GlobalAveragePool", img, model(img, List.of(), node("GlobalAveragePool", list("x"), "y")), 1e-6),
        Arguments.of("Flatten axis 2", img, model(img, List.of(), node("Flatten", list("x"), "y", i("axis", 2))), 0),
        Arguments.of("Reshape 0 and -1", img, model(img, List.of(int64("s", 0, -1, 7)),
            node("Reshape", list("x", "s"), "y")), 0),
        Arguments.of("Concat (a tensor with itself)", img, model(img, List.of(),
            node("Concat", list("x", "x"), "y", i("axis", 1))), 0),
        Arguments.of("Dropout (inference: identity)", mat, model(mat, List.of(), node("Dropout", list("x"), "y")), 0),
        Arguments.of("Softmax", mat, model(mat, List.of(), node("Softmax", list("x"), "y")), 1e-6),
        Arguments.of("LogSoftmax", mat, model(mat, List.of(), node("LogSoftmax", list("x"), "y")), 1e-6),
        Arguments.of("BatchNormalization (inference)", img, model(img, List.of(random("s", 29, 3),
            random("bb", 30, 3), random("m", 31, 3), positive("v", 32, 3)),
            node("BatchNormalization", list("x", "s", "bb", "m", "v"), "y", f("epsilon", 1e-3f))), 1e-5),
        Arguments.of("BatchNormalization 2-D input", mat, model(mat, List.of(random("s", 33, 6),
            random("bb", 34, 6), random("m", 35, 6), positive("v", 36, 6)),
            node("BatchNormalization", list("x", "s", "bb", "m", "v"), "y")), 1e-5),
        Arguments.of("Identity", mat, model(mat, List.of(), node("Identity", list("x"), "y")), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void eachKernelComputesWhatOnnxRuntimeComputes(String name, long[] shape, OnnxMl.ModelProto model, double tolerance)
      throws Exception {
    int n = (int) new Shape(shape).size();
    float[] x = Graphs.values(shape.length * 31L + n, n);
    float[] expected = Graphs.runOrt(model, x, shape);
    try (GraphProgram program = GraphProgram.compile(model, base); NDManager batch = base.newSubManager()) {
      NDArray y = program.forward(new NDList(batch.create(x, new Shape(shape))), false).head();
      float[] actual = y.toFloatArray();
      assertThat(actual).hasSameSizeAs(expected);
      for (int k = 0; k < actual.length; k++) {
        assertThat((double) actual[k]).as("%s, element %d", name, k).isCloseTo(expected[k], within(tolerance));
      }
    }
  }

  @Test
  void writingBackUntrainedParametersKeepsEveryByteOfTheOutputs() throws Exception {
    long[] shape = {3, 1, 8, 8};
    OnnxMl.ModelProto model = model(shape, List.of(random("w", 21, 4, 1, 3, 3), random("b", 22, 4),
            random("fc", 23, 10, 4 * 4 * 4), random("fcb", 24, 10)),
        node("Conv", list("x", "w", "b"), "c", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
        node("Relu", list("c"), "r"),
        node("MaxPool", list("r"), "p", ints("kernel_shape", 2, 2), ints("strides", 2, 2)),
        node("Flatten", list("p"), "f"),
        node("Gemm", list("f", "fc", "fcb"), "y", i("transB", 1)));
    OnnxMl.ModelProto back;
    try (GraphProgram program = GraphProgram.compile(model, base)) {
      assertThat(program.parameters()).containsOnlyKeys("w", "b", "fc", "fcb");
      assertThat(program.parameterCount()).isEqualTo(36 + 4 + 640 + 10);
      back = program.writeBack();
    }
    // float_data became raw_data; the values, names, dims, nodes and opset are unchanged.
    assertThat(back.getGraph().getNodeList()).isEqualTo(model.getGraph().getNodeList());
    assertThat(back.getOpsetImportList()).isEqualTo(model.getOpsetImportList());
    for (int k = 0; k < model.getGraph().getInitializerCount(); k++) {
      OnnxMl.TensorProto before = model.getGraph().getInitializer(k);
      OnnxMl.TensorProto after = back.getGraph().getInitializer(k);
      assertThat(after.getName()).isEqualTo(before.getName());
      assertThat(after.getDimsList()).isEqualTo(before.getDimsList());
      assertThat(OnnxProtos.floatValues(after)).isEqualTo(OnnxProtos.floatValues(before));
    }
    float[] x = Graphs.values(25, 3 * 64);
    assertThat(Graphs.runOrt(back, x, shape)).isEqualTo(Graphs.runOrt(model, x, shape));
  }

  @Test
  void batchNormalizationInTrainingUsesTheBatchStatisticsAndUpdatesTheRunningOnes() throws Exception {
    long[] shape = {4, 2, 3, 3};
    OnnxMl.ModelProto model = model(shape, List.of(random("s", 37, 2), random("bb", 38, 2), random("m", 39, 2),
            positive("v", 40, 2)),
        node("BatchNormalization", list("x", "s", "bb", "m", "v"), "y", f("momentum", 0.8f), f("epsilon", 1e-4f)));
    int n = 4 * 2 * 9;
    float[] x = Graphs.values(41, n);
    float[] s = OnnxProtos.floatValues(model.getGraph().getInitializer(0));
    float[] b = OnnxProtos.floatValues(model.getGraph().getInitializer(1));
    float[] m = OnnxProtos.floatValues(model.getGraph().getInitializer(2));
    float[] v = OnnxProtos.floatValues(model.getGraph().getInitializer(3));
    OnnxMl.ModelProto back;
    try (GraphProgram program = GraphProgram.compile(model, base); NDManager batch = base.newSubManager()) {
      assertThat(program.parameters()).containsOnlyKeys("s", "bb");
      float[] y = program.forward(new NDList(batch.create(x, new Shape(shape))), true).head().toFloatArray();
      back = program.writeBack();
      for (int c = 0; c < 2; c++) {
        double mean = 0;
        for (int k = 0; k < 4; k++) {
          for (int j = 0; j < 9; j++) {
            mean += x[k * 18 + c * 9 + j];
          }
        }
        mean /= 36;
        double var = 0;
        for (int k = 0; k < 4; k++) {
          for (int j = 0; j < 9; j++) {
            var += Math.pow(x[k * 18 + c * 9 + j] - mean, 2);
          }
        }
        var /= 36;
        for (int k = 0; k < 4; k++) {
          for (int j = 0; j < 9; j++) {
            int e = k * 18 + c * 9 + j;
            assertThat((double) y[e]).isCloseTo((x[e] - mean) / Math.sqrt(var + 1e-4) * s[c] + b[c], within(1e-4));
          }
        }
        assertThat((double) OnnxProtos.floatValues(back.getGraph().getInitializer(2))[c])
            .isCloseTo(m[c] * 0.8 + mean * 0.2, within(1e-5));
        assertThat((double) OnnxProtos.floatValues(back.getGraph().getInitializer(3))[c])
            .isCloseTo(v[c] * 0.8 + var * 0.2, within(1e-5));
      }
    }
    // The written-back running statistics are what ONNX Runtime's inference then uses.
    float[] ortY = Graphs.runOrt(back, x, shape);
    try (GraphProgram program = GraphProgram.compile(back, base); NDManager batch = base.newSubManager()) {
      float[] y = program.forward(new NDList(batch.create(x, new Shape(shape))), false).head().toFloatArray();
      for (int k = 0; k < n; k++) {
        assertThat((double) y[k]).isCloseTo(ortY[k], within(1e-5));
      }
    }
  }

  @Test
  void hyperparameterInputsAreNotTrained() throws Exception {
    long[] shape = {2, 3};
    OnnxMl.ModelProto model = model(shape, List.of(scalar("lo", 0f), scalar("hi", 1f), random("b", 26, 3)),
        node("Add", list("x", "b"), "a"), node("Clip", list("a", "lo", "hi"), "y"));
    try (GraphProgram program = GraphProgram.compile(model, base)) {
      assertThat(program.parameters()).containsOnlyKeys("b");
    }
  }

  @Test
  void anUnsupportedOpIsNamedBeforeAnythingRuns() {
    long[] shape = {2, 3};
    OnnxMl.ModelProto model = model(shape, List.of(random("b", 27, 3)),
        node("Add", list("x", "b"), "a"), node("Erf", list("a"), "y"));
    assertThatThrownBy(() -> GraphProgram.compile(model, base)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("node 'erf' (Erf): op Erf has no training kernel; supported: Add, AveragePool, BatchNormalization, Clip, Concat,");
  }

  @Test
  void asymmetricPadsAreRefusedNamingThem() {
    long[] shape = {1, 1, 5, 5};
    OnnxMl.ModelProto model = model(shape, List.of(random("w", 28, 1, 1, 3, 3)),
        node("Conv", list("x", "w"), "y", ints("pads", 0, 0, 1, 1)));
    assertThatThrownBy(() -> GraphProgram.compile(model, base)).isInstanceOf(TrainingException.class)
        .hasMessage("node 'conv' (Conv): asymmetric pads [0, 0, 1, 1] are not carried; expected equal begin and end"
            + " pads");
  }

  @Test
  void aBatchNormalizationWithoutItsRunningStatisticsIsRefused() {
    long[] shape = {2, 3};
    OnnxMl.ModelProto model = model(shape, List.of(random("s", 42, 3), random("bb", 43, 3)),
        node("BatchNormalization", list("x", "s", "bb"), "y"));
    assertThatThrownBy(() -> GraphProgram.compile(model, base)).isInstanceOf(TrainingException.class)
        .hasMessage("node 'batchnormalization' (BatchNormalization): 3 inputs; BatchNormalization takes 5 (X, scale,"
            + " B, input_mean, input_var)");
  }

  @Test
  void anotherDomainIsRefused() {
    long[] shape = {2, 3};
    OnnxMl.ModelProto model = model(shape, List.of(), node("Relu", list("x"), "y").toBuilder()
        .setDomain("com.microsoft").build());
    assertThatThrownBy(() -> GraphProgram.compile(model, base)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("domain 'com.microsoft' is not trainable here");
  }
}
