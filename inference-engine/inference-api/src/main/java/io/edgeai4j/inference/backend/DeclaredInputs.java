package io.edgeai4j.inference.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the inputs {@code model.json} declares with a model's own, for every backend (the same rules and
 * messages everywhere): a dimension fits when both are equal or either is open ({@code -1}). Stateless.
 */
public final class DeclaredInputs {
  private DeclaredInputs() {}

  /** Every difference, in words; empty when the declared inputs fit the model's. */
  public static List<String> differences(List<TensorSpec> declared, List<TensorSpec> model) {
    Map<String, TensorSpec> byName = new LinkedHashMap<>();
    model.forEach(m -> byName.put(m.name(), m));
    List<String> differences = new ArrayList<>();
    for (TensorSpec d : declared) {
      TensorSpec m = byName.remove(d.name());
      if (m == null) {
        differences.add("input '" + d.name() + "' is declared but the model has no such input");
        continue;
      }
      if (d.type() != m.type()) {
        differences.add("input '" + d.name() + "' is declared " + d.type().spelling() + ", the model has "
            + m.type().spelling());
      }
      String shape = shapeDifference(d.shape(), m.shape());
      if (shape != null) {
        differences.add("input '" + d.name() + "' is declared with shape " + Arrays.toString(d.shape())
            + ", the model has " + Arrays.toString(m.shape()) + " (" + shape + ")");
      }
    }
    for (TensorSpec m : byName.values()) {
      differences.add("the model's input '" + m.name() + "' (" + m + ") is not declared");
    }
    return differences;
  }

  private static String shapeDifference(long[] declared, long[] model) {
    if (declared.length != model.length) {
      return declared.length + " dimensions against " + model.length;
    }
    for (int i = 0; i < declared.length; i++) {
      if (declared[i] != -1 && model[i] != -1 && declared[i] != model[i]) {
        return "dimension " + i + " is " + declared[i] + " against " + model[i];
      }
    }
    return null;
  }
}
