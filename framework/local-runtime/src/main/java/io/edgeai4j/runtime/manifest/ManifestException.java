package io.edgeai4j.runtime.manifest;

/** Thrown when a deployment manifest cannot be honoured; the message names the JSON path. */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String jsonPath;

  /**
   * Creates the exception.
   *
   * @param jsonPath Where in the manifest, e.g. {@code $.modulesContent.$edgeHub['properties.desired'].routes.r1}.
   * @param problem What was found and what was expected.
   */
  public ManifestException(String jsonPath, String problem) {
    this(jsonPath, problem, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param jsonPath Where in the manifest.
   * @param problem What was found and what was expected.
   * @param cause The underlying error.
   */
  public ManifestException(String jsonPath, String problem, Throwable cause) {
    super(jsonPath + ": " + problem, cause);
    this.jsonPath = jsonPath;
  }

  /** Returns the JSON path of the problem. */
  public String jsonPath() {
    return jsonPath;
  }
}
