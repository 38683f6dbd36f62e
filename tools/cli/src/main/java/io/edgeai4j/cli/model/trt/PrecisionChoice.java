package io.edgeai4j.cli.model.trt;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.optimize.inspect.ModelReport;
import java.util.Set;
import java.util.TreeSet;

/**
 * The precision {@code edge model convert --to tensorrt} builds: INT8 when the model holds QuantizeLinear or
 * DequantizeLinear nodes (explicit quantization, {@code edge model quantize --target tensorrt}), FP16 when
 * {@code --fp16} is given, else FP32. Stateless.
 */
public final class PrecisionChoice {
  private static final Set<String> QDQ = Set.of("QuantizeLinear", "DequantizeLinear");

  private PrecisionChoice() {}

  /**
   * The precision and why it was chosen, e.g. {@code INT8 (the model holds 6 QuantizeLinear, 12 DequantizeLinear)}.
   *
   * @throws ConvertException Exit 2 for {@code --fp16} on a QDQ model (its precision is the model's); exit 65 for a
   *     model quantized without Q/DQ nodes (QLinear*, *Integer ops: ONNX Runtime's formats, which TensorRT's ONNX
   *     parser does not take).
   */
  public static Choice decide(ModelReport model, boolean fp16) throws ConvertException {
    Set<String> qdq = new TreeSet<>(model.quantizationOps().keySet());
    qdq.retainAll(QDQ);
    if (!qdq.isEmpty()) {
      String counts = String.join(", ", qdq.stream().map(op -> model.quantizationOps().get(op) + " " + op).toList());
      if (fp16) {
        throw new ConvertException(ExitCodes.USAGE, "--fp16: '" + model.file() + "' is a QDQ model (" + counts
            + "), which builds at INT8 from its Q/DQ nodes; drop --fp16, or convert the float model instead");
      }
      return new Choice(Precision.INT8, "the model holds " + counts);
    }
    if (model.quantized()) {
      throw new ConvertException(ExitCodes.DATA_ERROR, "'" + model.file() + "' is quantized with "
          + model.quantizationOps().keySet() + " and no QuantizeLinear/DequantizeLinear: TensorRT builds INT8 only"
          + " from Q/DQ nodes; quantize the float model with edge model quantize --target tensorrt");
    }
    return fp16 ? new Choice(Precision.FP16, "--fp16") : new Choice(Precision.FP32, "a float model, no --fp16");
  }

  /**
   * @param precision What the engine is built at.
   * @param why What decided it.
   */
  public record Choice(Precision precision, String why) {}
}
