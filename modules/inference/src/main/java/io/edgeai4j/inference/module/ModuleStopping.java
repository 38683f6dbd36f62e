package io.edgeai4j.inference.module;

/**
 * The module is stopping (or its server closed during a change of the served models): an activation is left for the
 * restart, a method answers {@code shutting_down}. Without a stack trace: it is an outcome, not a fault.
 */
final class ModuleStopping extends Exception {
  ModuleStopping() {
    super("the module is stopping", null, false, false);
  }
}
