package io.edgeai4j.inference.onnxruntime;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a run's inputs against a model's before any native call: every input present, none unknown, element types
 * and shapes as {@link TensorSpec#mismatch} wants them, and one batch size across the batchable inputs. Immutable;
 * thread-safe.
 */
final class InputValidator {
  private final List<TensorSpec> inputs;
  private final List<String> names;

  InputValidator(List<TensorSpec> inputs) {
    this.inputs = List.copyOf(inputs);
    this.names = inputs.stream().map(TensorSpec::name).toList();
  }

  /** Null when the inputs fit; otherwise every problem, separated by {@code "; "}. */
  String check(Map<String, Tensor> given) {
    List<String> problems = new ArrayList<>();
    for (String name : given.keySet()) {
      if (!names.contains(name)) {
        problems.add("input '" + name + "' is not an input of the model, expected " + names);
      }
    }
    String batchOwner = null;
    long batch = -1;
    for (TensorSpec spec : inputs) {
      Tensor tensor = given.get(spec.name());
      if (tensor == null) {
        problems.add("input '" + spec.name() + "' (" + spec + ") is missing");
        continue;
      }
      String mismatch = spec.mismatch(tensor);
      if (mismatch != null) {
        problems.add(mismatch);
        continue;
      }
      if (spec.batchable()) {
        long size = tensor.shape()[0];
        if (batchOwner == null) {
          batchOwner = spec.name();
          batch = size;
        } else if (size != batch) {
          problems.add("input '" + spec.name() + "': batch size (dimension 0) is " + size + ", expected " + batch
              + " as in input '" + batchOwner + "'");
        }
      }
    }
    return problems.isEmpty() ? null : problems.stream().collect(Collectors.joining("; "));
  }
}
