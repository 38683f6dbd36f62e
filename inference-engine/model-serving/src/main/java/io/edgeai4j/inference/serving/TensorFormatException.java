package io.edgeai4j.inference.serving;

/**
 * The JSON form of a tensor is malformed (a wrong type or shape, data that does not fill the shape, bad base64, a
 * tensor over the limits). The message starts with the dotted JSON path at fault, e.g. {@code inputs.x.base64:}.
 */
public final class TensorFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param path The dotted JSON path at fault, or empty for the whole document.
   * @param problem What was found and what was expected.
   */
  public TensorFormatException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The dotted JSON path at fault; empty for the whole document. */
  public String path() {
    return path;
  }

  /** What was found and what was expected, without the path. */
  public String problem() {
    return problem;
  }
}
