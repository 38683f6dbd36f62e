package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantizeCommandTest {
  @TempDir Path dir;

  private Path conv() throws Exception {
    return OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 32, 32, 2, 5, 4, 5);
  }

  /** {@code sets} sets of 4 windows {@code [4, 1, 32]} in ONNX's test-data layout. */
  private Path calibration(int sets) throws Exception {
    Path data = dir.resolve("calibration");
    SplittableRandom random = new SplittableRandom(1);
    for (int s = 0; s < sets; s++) {
      ByteBuffer b = ByteBuffer.allocate(4 * 32 * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 4 * 32; i++) {
        b.putFloat((float) Math.sin(i * 0.2 * (1 + s % 3)) + (float) random.nextGaussian() * 0.1f);
      }
      OnnxMl.TensorProto t = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
          .addDims(4).addDims(1).addDims(32).setRawData(ByteString.copyFrom(b.array())).build();
      Path set = data.resolve("test_data_set_" + s);
      Files.createDirectories(set);
      Files.write(set.resolve("input_0.pb"), t.toByteArray());
    }
    return data;
  }

  @Test
  void quantizesWithOnnxRuntimesDefaultsAndChecksTheOutput() throws Exception {
    Path in = conv();
    Path out = dir.resolve("conv.int8.onnx");

    CliRun run = CliRun.of("model", "quantize", "--calibration", calibration(5).toString(), in.toString(),
        out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote " + out + ": 6 nodes quantized (minmax, int8 activations, onnxruntime,"
        + " per-tensor weights), 6 QuantizeLinear, 12 DequantizeLinear").contains("checked: ONNX Runtime loads it");
    assertThat(run.err()).contains("calibrating (minmax)").contains("5/5 sets");
    OnnxModelFile.checkLoads(out);
    OnnxMl.ModelProto q = OnnxModelFile.read(out);
    assertThat(q.getGraph().getNodeList()).anyMatch(n -> n.getOpType().equals("QuantizeLinear"))
        .anyMatch(n -> n.getOpType().equals("DequantizeLinear"));
    assertThat(Files.size(out)).isLessThan(Files.size(in) / 2); // 9.6 KB of 22 KB: names and scales weigh on a small model
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--method entropy --per-channel|(entropy, int8 activations, onnxruntime, per-channel weights)|opset 13",
      "--method percentile --activation-type uint8 --asymmetric --reduce-range|uint8 activations, onnxruntime,"
          + " per-tensor weights, reduced range)|opset 13",
      "--per-channel --exclude MatMul,Relu|left in float (--exclude): |QuantizeLinear",
      "--target tensorrt|int8 activations, tensorrt, per-channel weights|QuantizeLinear",
      "--method MinMax --target ONNXRUNTIME|(minmax, int8 activations, onnxruntime, per-tensor weights)|QuantizeLinear"})
  void everyOptionIsTakenAndTheOutputLoads(String options, String described, String alsoPrinted) throws Exception {
    Path out = dir.resolve("q.onnx");
    String[] args = ("model quantize --calibration " + calibration(2) + " " + options + " " + conv() + " " + out)
        .split(" ");

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(described).contains(alsoPrinted);
    OnnxModelFile.checkLoads(out);
  }

  @Test
  void refusesToOverwriteUnlessForced() throws Exception {
    Path out = dir.resolve("q.onnx");
    Files.writeString(out, "old");
    String data = calibration(1).toString();

    CliRun refused = CliRun.of("model", "quantize", "--calibration", data, conv().toString(), out.toString());
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(refused.err()).contains("'" + out + "' exists; refusing to overwrite it (--force)");
    assertThat(Files.readString(out)).isEqualTo("old");

    CliRun forced = CliRun.of("model", "quantize", "--force", "--calibration", data, conv().toString(),
        out.toString());
    assertThat(forced.exitCode()).as(forced.err()).isZero();
  }

  @Test
  void badInputsAreNamedWithTheirExitCodes() throws Exception {
    Path model = conv();
    String data = calibration(1).toString();
    Path out = dir.resolve("q.onnx");

    CliRun missing = CliRun.of("model", "quantize", "--calibration", data, dir.resolve("nope.onnx").toString(),
        out.toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("INPUT.onnx: '" + dir.resolve("nope.onnx") + "' is not a file");

    CliRun noData = CliRun.of("model", "quantize", "--calibration", dir.resolve("none").toString(), model.toString(),
        out.toString());
    assertThat(noData.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(noData.err()).contains("--calibration: " + dir.resolve("none") + ": no such directory");

    Files.writeString(dir.resolve("text.onnx"), "not a model");
    CliRun notAModel = CliRun.of("model", "quantize", "--calibration", data, dir.resolve("text.onnx").toString(),
        out.toString());
    assertThat(notAModel.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(notAModel.err()).contains("not an ONNX model");

    CliRun typo = CliRun.of("model", "quantize", "--calibration", data, "--exclude", "Relu,Gemn", model.toString(),
        out.toString());
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(typo.err()).contains("--exclude Gemn: no node of the model has that name or op type; expected a node"
        + " name or one of the model's op types [Add, Conv, MatMul, ReduceMean, Relu]");

    CliRun trtUint8 = CliRun.of("model", "quantize", "--calibration", data, "--target", "tensorrt",
        "--activation-type", "uint8", model.toString(), out.toString());
    assertThat(trtUint8.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(trtUint8.err()).contains("target tensorrt takes int8 activations only");

    CliRun badMethod = CliRun.of("model", "quantize", "--calibration", data, "--method", "kl", model.toString(),
        out.toString());
    assertThat(badMethod.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badMethod.err()).contains("--method").contains("kl");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void perChannelOnAnOpset11ModelWithSoftmaxIsRefusedNamingTheOp() throws Exception {
    Path linear = OnnxTestModels.linear(dir.resolve("l.onnx"), 32, 2, new float[64], new float[2], true);
    OnnxMl.ModelProto m = OnnxModelFile.read(linear);
    m = m.toBuilder().setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(11)).build();
    Files.write(linear, m.toByteArray());
    Path data = dir.resolve("flat");
    ByteBuffer b = ByteBuffer.allocate(32 * 4).order(ByteOrder.LITTLE_ENDIAN);
    OnnxMl.TensorProto t = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addDims(1).addDims(32).setRawData(ByteString.copyFrom(b.array())).build();
    Files.createDirectories(data.resolve("test_data_set_0"));
    Files.write(data.resolve("test_data_set_0/input_0.pb"), t.toByteArray());

    CliRun run = CliRun.of("model", "quantize", "--per-channel", "--calibration", data.toString(), linear.toString(),
        dir.resolve("q.onnx").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("op Softmax").contains("cannot be carried from opset 11 to 13");
  }

  @Test
  void dynamicQuantizesAnMlpWithoutCalibrationData() throws Exception {
    Path in = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {32, 128, 4}, 2);
    Path out = dir.resolve("mlp.dyn.onnx");

    CliRun run = CliRun.of("model", "quantize", "--dynamic", "--per-channel", in.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("2 nodes quantized (dynamic, uint8 activations at run time, per-channel weights)");
    assertThat(OnnxModelFile.read(out).getGraph().getNodeList()).anyMatch(n -> n.getOpType().equals("MatMulInteger"))
        .anyMatch(n -> n.getOpType().equals("DynamicQuantizeLinear"));
  }

  @Test
  void weightOnlyKeepsActivationsFloat() throws Exception {
    Path out = dir.resolve("w8.onnx");

    CliRun run = CliRun.of("model", "quantize", "--weight-only", conv().toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("3 nodes quantized (weight-only, float activations, per-tensor weights),"
        + " 0 QuantizeLinear, 3 DequantizeLinear");
    assertThat(OnnxModelFile.read(out).getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("QuantizeLinear"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--dynamic --weight-only|--dynamic and --weight-only exclude each other",
      "--per-channel|--calibration DIR is required for static quantization",
      "--dynamic --calibration DATA|--dynamic needs no calibration data",
      "--weight-only --method entropy|--method is for static quantization's calibration; --weight-only has none",
      "--dynamic --activation-type int8|--activation-type is for static quantization; --dynamic keeps activations uint8",
      "--weight-only --target tensorrt|--target tensorrt takes static QDQ models",
      "--calibration DATA --target tensorrt --asymmetric|target tensorrt is symmetric (zero point 0)"})
  void contradictoryOptionsAreUsageErrors(String options, String message) throws Exception {
    Path out = dir.resolve("q.onnx");
    String[] args = ("model quantize " + options.replace("DATA", calibration(1).toString()) + " " + conv() + " "
        + out).split(" ");

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(message);
    assertThat(Files.exists(out)).isFalse();
  }
}
