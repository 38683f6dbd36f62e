package io.edgeai4j.hardwaretests;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite's switch, the system property {@value #PROPERTY}: absent or blank, every hardware test is skipped with a
 * message saying how to enable it; {@code jetson}, they run; any other value fails them, naming the accepted values.
 * Stateless and thread-safe.
 */
public final class HardwareSwitch implements ExecutionCondition {

  /** The system property that switches the suite on. */
  public static final String PROPERTY = "edgeai4j.hardware";
  /** The values {@value #PROPERTY} accepts. */
  public static final String ACCEPTED = "[jetson]";

  static final String HOW_TO_ENABLE = "hardware test skipped: run with -D" + PROPERTY + "=jetson on a Jetson"
      + " (mvn -B -ntp verify -pl hardware-tests -am -D" + PROPERTY + "=jetson) to enable it";

  private static volatile boolean announced;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ConditionEvaluationResult result = decide(System.getProperty(PROPERTY));
    if (result.isDisabled() && !announced) {
      announced = true;
      System.out.println("[edgeai4j-hardware-tests] " + HOW_TO_ENABLE);
    }
    return result;
  }

  /** The decision for a value of {@value #PROPERTY} (null when unset). */
  static ConditionEvaluationResult decide(String value) {
    if (value == null || value.isBlank()) {
      return ConditionEvaluationResult.disabled(HOW_TO_ENABLE);
    }
    if (value.equals("jetson")) {
      return ConditionEvaluationResult.enabled(PROPERTY + "=jetson: the Jetson hardware suite runs");
    }
    throw new ExtensionConfigurationException("-D" + PROPERTY + "=" + value + " is not a hardware this suite knows:"
        + " expected one of " + ACCEPTED + ", or leave it unset to skip the hardware tests");
  }
}
