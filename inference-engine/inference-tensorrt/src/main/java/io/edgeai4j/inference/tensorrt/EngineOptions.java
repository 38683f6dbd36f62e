package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/** How a model's engine is built: its precision and optimization profiles, resolved from the model and its settings. */
final class EngineOptions {
  private EngineOptions() {}

  /**
   * The precision: INT8 for a QDQ model (explicit quantization), else {@code tensorrt.precision}, else FP32.
   *
   * @throws IllegalArgumentException A setting the model cannot honour: int8 for a model without Q/DQ nodes, fp32 or
   *     fp16 for a QDQ model.
   */
  static Precision precision(boolean qdq, Optional<Precision> configured) {
    if (qdq) {
      if (configured.isPresent() && configured.get() != Precision.INT8) {
        throw new IllegalArgumentException("tensorrt.precision is " + name(configured.get()) + " but the model is"
            + " quantized (QDQ: QuantizeLinear/DequantizeLinear nodes), which TensorRT builds as int8; remove the"
            + " setting or set \"int8\", or use the unquantized model");
      }
      return Precision.INT8;
    }
    Precision p = configured.orElse(Precision.FP32);
    if (p == Precision.INT8) {
      throw new IllegalArgumentException("tensorrt.precision is int8 but the model has no QuantizeLinear/"
          + "DequantizeLinear nodes; int8 needs a QDQ model (edge model quantize --target tensorrt IN.onnx OUT.onnx),"
          + " expected fp32 or fp16 for this one");
    }
    return p;
  }

  /**
   * One profile per input with a dynamic dimension: the one {@code tensorrt.shapes} gives, else, when only the first
   * (batch) dimension is dynamic, min 1, opt {@code max(1, maxBatchSize / 2)}, max {@code maxBatchSize}. Inputs of
   * fixed shape need none.
   *
   * @throws IllegalArgumentException A dynamic dimension beyond the batch with no shapes given, shapes for an input
   *     the model lacks, or shapes of another rank or fixed dimension than the model's (naming both).
   */
  static List<ShapeProfile> profiles(List<TensorSpec> inputs, int maxBatchSize, Map<String, ShapeProfile> explicit) {
    Set<String> names = new HashSet<>();
    List<ShapeProfile> profiles = new ArrayList<>();
    for (TensorSpec in : inputs) {
      names.add(in.name());
      long[] shape = in.shape();
      ShapeProfile given = explicit.get(in.name());
      if (given != null) {
        requireFits(in, given);
        profiles.add(given);
        continue;
      }
      int[] dynamic = IntStream.range(0, shape.length).filter(i -> shape[i] == -1).toArray();
      if (dynamic.length == 0) {
        continue;
      }
      if (dynamic.length > 1 || dynamic[0] != 0) {
        throw new IllegalArgumentException("input '" + in.name() + "' " + Arrays.toString(shape) + " has dynamic"
            + " dimension(s) " + Arrays.toString(Arrays.stream(dynamic).filter(i -> i != 0).toArray())
            + " besides the batch; give its shapes in model.json: \"tensorrt\": {\"shapes\": {\"" + in.name()
            + "\": {\"min\": [..], \"opt\": [..], \"max\": [..]}}}");
      }
      long[] min = shape.clone();
      long[] opt = shape.clone();
      long[] max = shape.clone();
      min[0] = 1;
      opt[0] = Math.max(1, maxBatchSize / 2);
      max[0] = maxBatchSize;
      profiles.add(new ShapeProfile(in.name(), min, opt, max));
    }
    for (String name : explicit.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("tensorrt.shapes names input '" + name + "', the model's inputs are "
            + inputs.stream().map(TensorSpec::name).toList());
      }
    }
    return profiles;
  }

  private static void requireFits(TensorSpec in, ShapeProfile p) {
    long[] shape = in.shape();
    for (long[] s : List.of(p.min(), p.opt(), p.max())) {
      boolean ok = s.length == shape.length;
      for (int i = 0; ok && i < shape.length; i++) {
        ok = shape[i] == -1 || shape[i] == s[i];
      }
      if (!ok) {
        throw new IllegalArgumentException("tensorrt.shapes." + in.name() + ": " + Arrays.toString(s)
            + " does not fit the model's input " + Arrays.toString(shape) + " (same rank, fixed dimensions equal)");
      }
    }
  }

  private static String name(Precision p) {
    return p.name().toLowerCase(Locale.ROOT);
  }
}
