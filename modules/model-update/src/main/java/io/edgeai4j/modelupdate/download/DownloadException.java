package io.edgeai4j.modelupdate.download;

/** A download that ended without the package: the message says what was found and what was expected. */
public final class DownloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its reason. */
  public DownloadException(String message) {
    super(message);
  }

  /** Creates the exception with its reason and cause. */
  public DownloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
