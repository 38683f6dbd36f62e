package io.edgeai4j.ingestion.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/** The faults the simulator can script; {@link #label()} is the name in the twin and in the ground-truth label. */
public enum FaultKind {
  /** Mass imbalance of the rotor: the 1x (shaft frequency) component grows. */
  IMBALANCE("imbalance"),
  /** Shaft misalignment: the 2x component grows strongly, 1x and 3x a little; the motor draws more current. */
  MISALIGNMENT("misalignment"),
  /** A defect on the bearing's outer race: resonance bursts at the ball-pass frequency of the outer race (BPFO). */
  OUTER_RACE("outerRace"),
  /** A defect on the bearing's inner race: resonance bursts at BPFI, amplitude-modulated at the shaft frequency. */
  INNER_RACE("innerRace");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** The kind's name in the twin and in the {@code label} message property, e.g. {@code outerRace}. */
  @JsonValue
  public String label() {
    return label;
  }

  /** The labels of all kinds, in declaration order. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(FaultKind::label).toList();
  }

  /**
   * Finds a kind by its label (exact match).
   *
   * @throws IllegalArgumentException If no kind has that label; the message lists the known kinds.
   */
  @JsonCreator
  public static FaultKind fromLabel(String label) {
    for (FaultKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown fault kind '" + label + "', expected one of " + labels());
  }
}
