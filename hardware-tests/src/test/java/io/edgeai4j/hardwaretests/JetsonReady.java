package io.edgeai4j.hardwaretests;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs once the suite is switched on ({@link HardwareSwitch}): a machine that cannot run it (see {@link JetsonProbe})
 * fails every test of the class with the probe's reasons; it is never a skip. Stateless and thread-safe.
 */
public final class JetsonReady implements BeforeAllCallback {

  private final Supplier<JetsonProbe> probe;

  /** The check of this machine. */
  public JetsonReady() {
    this(JetsonProbe::ofThisMachine);
  }

  JetsonReady(Supplier<JetsonProbe> probe) {
    this.probe = probe;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    check(probe.get().problems());
  }

  static void check(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new AssertionError("-D" + HardwareSwitch.PROPERTY + "=jetson, but this machine cannot run the Jetson"
          + " hardware suite:\n  - " + String.join("\n  - ", problems));
    }
  }
}
