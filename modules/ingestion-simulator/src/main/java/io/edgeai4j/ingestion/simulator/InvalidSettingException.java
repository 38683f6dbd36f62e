package io.edgeai4j.ingestion.simulator;

/**
 * A settings record's field holds a value out of range. Thrown by the records' constructors; the
 * provider moves the field name into the dotted path of the {@link
 * io.edgeai4j.ingestion.source.SourceConfigException} it reports.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field The field's name in the twin JSON, e.g. {@code onsetSeconds}.
   * @param reason What was found and what was expected.
   */
  public InvalidSettingException(String field, String reason) {
    super(reason);
    this.field = field;
  }

  /** The field's name in the twin JSON, relative to the record that threw. */
  public String field() {
    return field;
  }
}
