package io.edgeai4j.modelpackage;

/**
 * A model release (the twin's pointer to a model package) breaks a rule of docs/model-updates.md. The message starts
 * with {@link #path()}, the dotted path of the offending setting, e.g. {@code models.fault-classifier.sha256: ...}.
 */
public final class InvalidReleaseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * @param path The dotted path of the offending setting.
   * @param problem What was found and what was expected; the message is {@code path + ": " + problem}.
   */
  public InvalidReleaseException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  /** The dotted path of the offending setting, e.g. {@code models.fault-classifier.version}. */
  public String path() {
    return path;
  }
}
