package io.edgeai4j.deployment;

/**
 * A template, {@code .env} or {@code module.json} that cannot be turned into a manifest: an undefined variable, an
 * unknown module or platform, createOptions beyond edgeAgent's 100 chunks. The message is {@code <pointer>:
 * <reason>}.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String pointer;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param pointer The JSON pointer of the offending place in the template (or module.json).
   * @param reason What was found and what was expected.
   */
  public TemplateException(String pointer, String reason) {
    super((pointer.isEmpty() ? "\"\"" : pointer) + ": " + reason);
    this.pointer = pointer;
    this.reason = reason;
  }

  /** The JSON pointer of the offending place. */
  public String pointer() {
    return pointer;
  }

  /** What was wrong, without the pointer. */
  public String reason() {
    return reason;
  }
}
