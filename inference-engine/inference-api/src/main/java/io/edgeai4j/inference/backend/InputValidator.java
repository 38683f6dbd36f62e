package io.edgeai4j.inference.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a run's inputs against a model's before any native call, with the same rules and messages for every backend:
 * every input present, none unknown, element types and shapes as {@link TensorSpec#mismatch} wants them, a backend's
 * own check of each tensor (e.g. TensorRT's profile bounds), and one batch size across the batchable inputs.
 * Immutable; thread-safe.
 */
public final class InputValidator {
  /** A backend's check of one input that already matches its {@link TensorSpec}: null when it fits, else why not. */
  @FunctionalInterface
  public interface TensorCheck {
    TensorCheck NONE = (spec, tensor) -> null;

    String problem(TensorSpec spec, Tensor tensor);
  }

  private final List<TensorSpec> inputs;
  private final List<String> names;
  private final TensorCheck extra;

  public InputValidator(List<TensorSpec> inputs) {
    this(inputs, TensorCheck.NONE);
  }

  public InputValidator(List<TensorSpec> inputs, TensorCheck extra) {
    this.inputs = List.copyOf(inputs);
    this.names = inputs.stream().map(TensorSpec::name).toList();
    this.extra = extra;
  }

  /** Null when the inputs fit; otherwise every problem, separated by {@code "; "}. */
  public String check(Map<String, Tensor> given) {
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
      if (mismatch == null) {
        mismatch = extra.problem(spec, tensor);
      }
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
    return problems.isEmpty() ? null : String.join("; ", problems);
  }
}
