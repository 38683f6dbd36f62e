package io.edgeai4j.ingestion.opcua;

/**
 * Thrown by the settings records' constructors for a wrong value; carries the value's path relative to
 * the record so that {@link OpcUaSourceProvider#parse} can report the full dotted path.
 */
final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  InvalidSettingException(String path, String reason) {
    super(path + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  /** The dotted path relative to the record that threw. */
  String path() {
    return path;
  }

  /** What was found and what was expected. */
  String reason() {
    return reason;
  }
}
