package io.edgeai4j.inference.module;

/**
 * A request that cannot be decoded (malformed JSON, base64 or file reference, a shape that does not hold its
 * data); answered with error kind {@code bad_request}. The message starts with the JSON path at fault, e.g.
 * {@code inputs.x.shape}.
 */
public final class BadRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * Creates the exception.
   *
   * @param path The dotted JSON path at fault, or empty for the whole document.
   * @param problem What was found and what was expected.
   */
  public BadRequestException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
  }

  /** The dotted JSON path at fault; empty for the whole document. */
  public String path() {
    return path;
  }
}
