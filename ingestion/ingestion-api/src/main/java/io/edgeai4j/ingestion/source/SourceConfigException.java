package io.edgeai4j.ingestion.source;

/**
 * A source's settings are wrong. The message names where (a dotted path relative to the source's
 * settings object, e.g. {@code nodes.spindleSpeed.nodeId}), what was found and what was expected.
 */
public final class SourceConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param path The dotted path of the offending value, relative to the source's settings; empty for
   *     the settings object itself.
   * @param reason What was found and what was expected.
   */
  public SourceConfigException(String path, String reason) {
    super(path == null || path.isEmpty() ? reason : path + ": " + reason);
    this.path = path == null ? "" : path;
    this.reason = reason;
  }

  /** The dotted path, relative to the source's settings object; empty for the object itself. */
  public String path() {
    return path;
  }

  /** What was wrong, without the path. */
  public String reason() {
    return reason;
  }

  /** Returns this error with its path under {@code prefix} (e.g. {@code sources.press1}). */
  public SourceConfigException under(String prefix) {
    SourceConfigException moved = new SourceConfigException(path.isEmpty() ? prefix : prefix + "." + path, reason);
    moved.initCause(this);
    return moved;
  }
}
