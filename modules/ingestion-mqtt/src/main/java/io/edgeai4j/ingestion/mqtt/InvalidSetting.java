package io.edgeai4j.ingestion.mqtt;

import io.edgeai4j.ingestion.source.SourceConfigException;

/**
 * Thrown by a settings record's compact constructor for a value at a path below the record, so that
 * {@link MqttSourceProvider#parse} can report the full dotted path (e.g. {@code subscriptions.press.topic})
 * rather than the record's own.
 */
final class InvalidSetting extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param field The dotted path of the value, relative to the record that throws.
   * @param reason What was found and what was expected.
   */
  InvalidSetting(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /**
   * Returns {@code error} with the path made precise when an {@link InvalidSetting} caused it, else
   * {@code error} itself.
   */
  static SourceConfigException refine(SourceConfigException error) {
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidSetting invalid) {
        String path = error.path().isEmpty() ? invalid.field : error.path() + "." + invalid.field;
        SourceConfigException refined = new SourceConfigException(path, invalid.reason);
        refined.initCause(error);
        return refined;
      }
    }
    return error;
  }
}
