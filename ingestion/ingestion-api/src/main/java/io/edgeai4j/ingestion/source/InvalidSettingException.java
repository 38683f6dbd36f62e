package io.edgeai4j.ingestion.source;

/**
 * Thrown by a settings record's constructor for a value below the record, so that
 * {@link SettingsBinder#bind} reports the value's full dotted path (e.g. {@code nodes.spindle.nodeId})
 * rather than the record's own.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param field The dotted path of the value, relative to the record that throws, e.g. {@code onsetSeconds}.
   * @param reason What was found and what was expected.
   */
  public InvalidSettingException(String field, String reason) {
    super(field == null || field.isEmpty() ? reason : field + ": " + reason);
    this.field = field == null ? "" : field;
    this.reason = reason;
  }

  /** The dotted path relative to the record that threw; empty for the record itself. */
  public String field() {
    return field;
  }

  /** What was found and what was expected, without the path. */
  public String reason() {
    return reason;
  }
}
