package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.quantize.CalibrationMethod;
import io.edgeai4j.optimize.quantize.DynamicQuantizer;
import io.edgeai4j.optimize.quantize.QdqQuantizer;
import io.edgeai4j.optimize.quantize.QuantType;
import io.edgeai4j.optimize.quantize.QuantizationException;
import io.edgeai4j.optimize.quantize.QuantizeOptions;
import io.edgeai4j.optimize.quantize.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model quantize}: static post-training quantization of an ONNX model to a QDQ model, with ONNX Runtime's
 * math and defaults ({@link QdqQuantizer}); the model written is loaded by ONNX Runtime before the command reports
 * success.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = {"Quantizes INPUT.onnx to int8 and writes OUTPUT.onnx as a QDQ model (QuantizeLinear/DequantizeLinear"
        + " pairs that ONNX Runtime CPU fuses into int8 kernels; TensorRT reads them as explicit quantization)."
        + " Activation ranges come from --calibration DIR (ONNX's test-data layout: DIR/test_data_set_<n>/input_<i>.pb),"
        + " read a set at a time. Defaults follow ONNX Runtime's quantize_static: MinMax, per tensor, int8 weights and"
        + " activations, asymmetric activations and symmetric weights."})
public final class QuantizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT.onnx", description = "The float model.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT.onnx", description = "Where to write the quantized model.")
  Path output;

  @Option(names = "--calibration", paramLabel = "DIR",
      description = "Calibration data for static quantization: DIR/test_data_set_<n>/input_<i>.pb, i in the order of"
          + " the model's inputs. Required unless --dynamic or --weight-only.")
  Path calibration;

  @Option(names = "--dynamic", description = "Dynamic quantization, no calibration data: int8 MatMul/Gemm weights,"
      + " activations quantized to uint8 at run time (DynamicQuantizeLinear + MatMulInteger), as ONNX Runtime's"
      + " quantize_dynamic.")
  boolean dynamic;

  @Option(names = "--weight-only", description = "Int8 Conv/MatMul/Gemm weights behind DequantizeLinear, activations"
      + " in float; no calibration data.")
  boolean weightOnly;

  @Option(names = "--method", paramLabel = "minmax|percentile|entropy",
      description = "How activation ranges are found: MinMax, Percentile (99.999 %% of |x|, 2048 bins) or Entropy"
          + " (least KL divergence, 128 bins), as ONNX Runtime. Default: minmax.")
  CalibrationMethod method;

  @Option(names = "--per-channel", description = "One scale per output channel of Conv, MatMul and Gemm weights"
      + " (needs opset 13: the model's opset is raised when its ops allow, else the op that blocks it is named).")
  boolean perChannel;

  @Option(names = "--asymmetric", description = "Asymmetric weights too (activations are asymmetric by default).")
  boolean asymmetric;

  @Option(names = "--activation-type", paramLabel = "int8|uint8",
      description = "The activations' type (static only); weights are int8. Default: int8.")
  QuantType activationType;

  @Option(names = "--reduce-range", description = "7-bit weights (int8 [-64, 64]), for x86 CPUs without VNNI.")
  boolean reduceRange;

  @Option(names = "--exclude", paramLabel = "NODE_OR_OP", split = ",",
      description = "Node names or op types to leave in float, comma-separated (e.g. --exclude Gemm,head/conv).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--target", paramLabel = "onnxruntime|tensorrt",
      description = "tensorrt: symmetric int8 (zero point 0), per-channel weights, Q/DQ on the inputs of weighted and"
          + " joining ops, as TensorRT's explicit quantization takes them (static only). Default: onnxruntime.")
  Target target;

  @Option(names = "--force", description = "Overwrite OUTPUT.onnx when it exists.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String usage = usage();
    if (usage != null) {
      err.println("edge model quantize: " + usage);
      return ExitCodes.USAGE;
    }
    CalibrationMethod method = this.method == null ? CalibrationMethod.MINMAX : this.method;
    QuantType activationType = this.activationType == null ? QuantType.INT8 : this.activationType;
    Target target = this.target == null ? Target.ONNXRUNTIME : this.target;
    QuantizeOptions options;
    try {
      options = new QuantizeOptions(method, perChannel, asymmetric, activationType, reduceRange,
          new LinkedHashSet<>(exclude), target);
    } catch (IllegalArgumentException e) {
      err.println("edge model quantize: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (!Files.isRegularFile(input)) {
      err.println("edge model quantize: INPUT.onnx: '" + input + "' is not a file");
      return ExitCodes.NO_INPUT;
    }
    try {
      if (Files.exists(output) && Files.isSameFile(input, output)) {
        err.println("edge model quantize: OUTPUT.onnx: '" + output + "' is INPUT.onnx; write the quantized model"
            + " to another file");
        return ExitCodes.CANT_CREATE;
      }
    } catch (IOException e) {
      err.println("edge model quantize: OUTPUT.onnx: '" + output + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
    if (Files.exists(output) && !force) {
      err.println("edge model quantize: OUTPUT.onnx: '" + output + "' exists; refusing to overwrite it (--force)");
      return ExitCodes.CANT_CREATE;
    }
    OnnxMl.ModelProto model;
    try {
      model = OnnxModelFile.read(input);
    } catch (ModelFileException e) {
      err.println("edge model quantize: INPUT.onnx: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    TestDataSets data = null;
    if (calibration != null) {
      try {
        data = TestDataSets.open(calibration);
      } catch (DataSetException e) {
        err.println("edge model quantize: --calibration: " + e.getMessage());
        return ExitCodes.NO_INPUT;
      }
    }
    QdqQuantizer.Result result;
    try {
      if (dynamic) {
        result = DynamicQuantizer.quantize(model, options);
      } else if (weightOnly) {
        result = QdqQuantizer.weightOnly(model, options);
      } else {
        result = QdqQuantizer.quantize(model, data, options, err);
      }
    } catch (QuantizationException | IllegalArgumentException e) {
      err.println("edge model quantize: " + input + ": " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    try {
      OnnxModelFile.writeChecked(result.model(), output);
    } catch (ModelFileException e) {
      err.println("edge model quantize: OUTPUT.onnx: " + e.getMessage());
      return ExitCodes.SOFTWARE;
    }
    PrintWriter out = spec.commandLine().getOut();
    long before;
    long after;
    try {
      before = Files.size(input);
      after = Files.size(output);
    } catch (IOException e) {
      before = -1;
      after = -1;
    }
    Map<String, Long> ops = new TreeMap<>(result.model().getGraph().getNodeList().stream()
        .collect(Collectors.groupingBy(OnnxMl.NodeProto::getOpType, Collectors.counting())));
    String how = dynamic ? "dynamic, uint8 activations at run time" : weightOnly ? "weight-only, float activations"
        : method.name().toLowerCase(Locale.ROOT) + ", " + activationType.name().toLowerCase(Locale.ROOT)
            + " activations, " + target.name().toLowerCase(Locale.ROOT);
    out.printf(Locale.ROOT, "wrote %s: %d nodes quantized (%s, %s weights%s), %d QuantizeLinear, %d"
            + " DequantizeLinear, opset %d%s%n", output, result.quantizedNodes(), how,
        perChannel || target == Target.TENSORRT ? "per-channel" : "per-tensor", reduceRange ? ", reduced range" : "",
        result.quantizeLinear(), result.dequantizeLinear(), result.opsetAfter(),
        result.opsetAfter() != result.opsetBefore() ? " (raised from " + result.opsetBefore() + ")" : "");
    if (!result.excludedNodes().isEmpty()) {
      out.println("left in float (--exclude): " + String.join(", ", result.excludedNodes()));
    }
    out.println("ops: " + ops);
    out.printf(Locale.ROOT, "size: %d -> %d bytes (%.3fx); checked: ONNX Runtime loads it%n", before, after,
        (double) after / before);
    return ExitCodes.OK;
  }

  /** The options that contradict each other, or null. */
  private String usage() {
    if (dynamic && weightOnly) {
      return "--dynamic and --weight-only exclude each other; choose one";
    }
    String mode = dynamic ? "--dynamic" : weightOnly ? "--weight-only" : null;
    if (mode == null) {
      return calibration == null ? "--calibration DIR is required for static quantization (or ask for --dynamic or"
          + " --weight-only, which need no data)" : null;
    }
    if (calibration != null) {
      return mode + " needs no calibration data; drop --calibration (or drop " + mode + " for static quantization)";
    }
    if (method != null) {
      return "--method is for static quantization's calibration; " + mode + " has none";
    }
    if (activationType != null) {
      return "--activation-type is for static quantization; " + mode + " keeps activations "
          + (dynamic ? "uint8 at run time, as ONNX Runtime's quantize_dynamic" : "in float");
    }
    if (target == Target.TENSORRT) {
      return "--target tensorrt takes static QDQ models; " + mode + " cannot be asked with it";
    }
    return null;
  }
}
