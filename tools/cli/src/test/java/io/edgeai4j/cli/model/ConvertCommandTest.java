package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvertCommandTest {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
  private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();

  @TempDir Path dir;

  @Test
  void upgradesAnOpset10ClipModelTo13() throws Exception {
    Path input = model(dir.resolve("in.onnx"), "Clip");
    Path output = dir.resolve("out.onnx");

    CliRun run = CliRun.of("model", "convert", "--opset", "13", input.toString(), output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("opset: 10 -> 13").contains("ONNX Runtime loads it")
        .containsPattern("largest output difference from INPUT on 2 random rows: y 0\\.00");
    OnnxMl.ModelProto converted = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(output));
    assertThat(converted.getOpsetImport(0).getVersion()).isEqualTo(13);
    assertThat(converted.getGraph().getNode(1).getOpType()).isEqualTo("Clip");
    assertThat(converted.getGraph().getNode(1).getInputCount()).isEqualTo(3);
  }

  @Test
  void refusesAnOpItCannotCarryAndWritesNothing() throws Exception {
    Path input = model(dir.resolve("in.onnx"), "Resize");
    Path output = dir.resolve("out.onnx");

    CliRun run = CliRun.of("model", "convert", "--opset", "13", input.toString(), output.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("op Resize (node 'resize') is not among the ops convert carries from opset 11"
        + " to 13");
    assertThat(output).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--keep-io-types, 1", "--fp16-io, 10", "(default), 1"})
  void fp16HalvesAnMlpAndKeepsFloat32IoUnlessAsked(String ioOption, int ioType) throws Exception {
    Path input = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {64, 128, 64, 10}, 5);
    Path output = dir.resolve("mlp16.onnx");

    CliRun run = ioOption.startsWith("(") ? CliRun.of("model", "convert", "--fp16", input.toString(), output.toString())
        : CliRun.of("model", "convert", "--fp16", ioOption, input.toString(), output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Which ops keep float32 depends on ONNX Runtime's CPU kernels (measured per run); MatMul has a float16 one.
    assertThat(run.out()).containsPattern("fp16: computing in float16: [^;]*MatMul")
        .contains("inputs and outputs " + (ioType == FLOAT ? "float32" : "float16"));
    assertThat((double) Files.size(output) / Files.size(input)).isLessThan(0.55);
    OnnxMl.ModelProto converted = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(output));
    assertThat(converted.getGraph().getInput(0).getType().getTensorType().getElemType()).isEqualTo(ioType);
    assertThat(converted.getGraph().getOutput(0).getType().getTensorType().getElemType()).isEqualTo(ioType);
    assertThat(converted.getGraph().getInitializerList()).allSatisfy(t ->
        assertThat(t.getDataType()).isEqualTo(FLOAT16));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nothing asked | in.onnx out.onnx | 2 | give --opset N, --fp16 or both",
      "io types without --fp16 | --opset 13 --fp16-io in.onnx out.onnx | 2 | --fp16-io applies to --fp16",
      "an input ONNX Runtime refuses | --fp16 bad.onnx out.onnx | 65 | INPUT.onnx: ",
      "both io types | --fp16 --keep-io-types --fp16-io in.onnx out.onnx | 2 | mutually exclusive",
      "downgrade | --opset 9 in.onnx out.onnx | 65 | --opset 9 is below the model's opset 10",
      "output is the input | --fp16 in.onnx in.onnx | 73 | refusing to replace the input",
      "missing input | --fp16 none.onnx out.onnx | 66 | no such file",
  })
  void refusesBadInvocations(String name, String arguments, int exitCode, String message) throws Exception {
    model(dir.resolve("in.onnx"), "Clip");
    // Clip with min/max attributes is not valid at opset 11: ONNX Runtime refuses the model.
    OnnxMl.ModelProto bad = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("in.onnx")));
    Files.write(dir.resolve("bad.onnx"), bad.toBuilder().setOpsetImport(0, bad.getOpsetImport(0).toBuilder()
        .setVersion(11)).build().toByteArray());
    String[] words = arguments.split(" ");
    String[] args = new String[words.length + 2];
    args[0] = "model";
    args[1] = "convert";
    for (int k = 0; k < words.length; k++) {
      args[k + 2] = words[k].endsWith(".onnx") ? dir.resolve(words[k]).toString() : words[k];
    }

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(dir.resolve("out.onnx")).doesNotExist();
  }

  /** x: float[batch, 4] -> MatMul -> Clip (min, max attributes: opset 10) or Resize (opset 11) -> y. */
  private static Path model(Path file, String op) throws Exception {
    OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(4)
        .addDims(4);
    for (int k = 0; k < 16; k++) {
      w.addFloatData((float) Math.cos(k));
    }
    OnnxMl.NodeProto.Builder second = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase())
        .addInput("h").addOutput("y");
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("g").addInput(info("x", true))
        .addOutput(info("y", false)).addInitializer(w)
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("w").addOutput("h"));
    if (op.equals("Clip")) {
      second.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("min").setF(-0.5f)
              .setType(OnnxMl.AttributeProto.AttributeType.FLOAT))
          .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("max").setF(0.5f)
              .setType(OnnxMl.AttributeProto.AttributeType.FLOAT));
    } else {
      graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName("roi").setDataType(FLOAT).addDims(0))
          .addInitializer(OnnxMl.TensorProto.newBuilder().setName("scales").setDataType(FLOAT).addDims(2)
              .addFloatData(1).addFloatData(2));
      second.addInput("roi").addInput("scales");
    }
    graph.addNode(second);
    boolean clip = op.equals("Clip");
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(clip ? 5 : 6)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(clip ? 10 : 11)).setGraph(graph).build();
    Files.write(file, model.toByteArray());
    return file;
  }

  private static OnnxMl.ValueInfoProto info(String name, boolean shaped) {
    OnnxMl.TypeProto.Tensor.Builder tensor = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT);
    if (shaped) {
      tensor.setShape(OnnxMl.TensorShapeProto.newBuilder()
          .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
          .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(4)));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(tensor)).build();
  }
}
