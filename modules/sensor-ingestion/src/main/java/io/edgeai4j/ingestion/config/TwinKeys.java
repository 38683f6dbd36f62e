package io.edgeai4j.ingestion.config;

/** The rules IoT Hub sets for twin property names, which sensor, source and band names become. */
public final class TwinKeys {
  /** The rule, for error messages. */
  public static final String RULE = "is not a valid twin key: use 1 to 128 characters without '.', '$', spaces or"
      + " control characters";

  private TwinKeys() {}

  /** Returns whether {@code key} can name a twin property (we keep names to 128 characters). */
  public static boolean isValid(String key) {
    if (key == null || key.isEmpty() || key.length() > 128) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '$' || c == ' ' || Character.isISOControl(c) || Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }
}
