package io.edgeai4j.ingestion.pipeline;

/**
 * The desired properties bind but do not make a working configuration (an unknown source type, a
 * source setting its plug-in refuses, a sensor two sources produce). The message names the dotted
 * path, what was found and what was expected. The module keeps its previous configuration.
 */
public final class ConfigurationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
