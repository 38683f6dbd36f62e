package io.edgeai4j.inference.module;

/** The rules IoT Hub sets for twin property names, which model and sensor names become. Stateless. */
final class TwinKeys {
  /** The rule, for error messages. */
  static final String RULE = "is not a valid twin key: use 1 to 128 characters without '.', '$', spaces or"
      + " control characters";

  private TwinKeys() {}

  /** Returns whether {@code key} can name a twin property (we keep names to 128 characters). */
  static boolean isValid(String key) {
    if (key == null || key.isEmpty() || key.length() > 128) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '$' || Character.isISOControl(c) || Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }
}
