package io.edgeai4j.modelpackage;

import java.util.List;

/**
 * What a model was built for: informational on the device, checked by {@code edge model publish}. Immutable.
 *
 * @param backend {@code onnxruntime-cpu}, {@code onnxruntime-cuda} or {@code tensorrt}; null when not said.
 * @param precision Null when not said.
 */
public record Target(String backend, Precision precision) {
  /** The backends a target may name. */
  public static final List<String> BACKENDS = List.of("onnxruntime-cpu", "onnxruntime-cuda", "tensorrt");

  /** @throws IllegalArgumentException When {@code backend} is not one of {@link #BACKENDS}. */
  public Target {
    if (backend != null && !BACKENDS.contains(backend)) {
      throw new IllegalArgumentException(backendProblem(backend));
    }
  }

  static String backendProblem(String found) {
    return "expected one of " + String.join(", ", BACKENDS) + ", found '" + found + "'";
  }
}
