package io.edgeai4j.training;

import io.edgeai4j.ingestion.simulator.FaultKind;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The classifier's classes, in the order of the model's output columns. {@link #NORMAL} is index 0, which the
 * inference module treats as "no fault".
 */
public enum FaultClass {
  /** No fault active. */
  NORMAL("normal", null),
  /** Rotor imbalance. */
  IMBALANCE("imbalance", FaultKind.IMBALANCE),
  /** Shaft misalignment. */
  MISALIGNMENT("misalignment", FaultKind.MISALIGNMENT),
  /** Outer-race bearing defect. */
  OUTER_RACE("outerRace", FaultKind.OUTER_RACE),
  /** Inner-race bearing defect. */
  INNER_RACE("innerRace", FaultKind.INNER_RACE);

  private final String label;
  private final FaultKind kind;

  FaultClass(String label, FaultKind kind) {
    this.label = label;
    this.kind = kind;
  }

  /** The class name: the simulator's {@code label} property for a machine with at most one fault. */
  public String label() {
    return label;
  }

  /** The simulated fault, or empty for {@link #NORMAL}. */
  public Optional<FaultKind> kind() {
    return Optional.ofNullable(kind);
  }

  /** The labels of all classes, by output index. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(FaultClass::label).toList();
  }

  /**
   * Finds the class of a simulator label.
   *
   * @throws IllegalArgumentException If the label names no single class (e.g. {@code imbalance+outerRace}).
   */
  public static FaultClass fromLabel(String label) {
    for (FaultClass c : values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("label '" + label + "' is not one of the classes " + labels());
  }
}
