package io.edgeai4j.ingestion.pipeline;

/** The module's outputs, as routes name them ({@code /messages/modules/<id>/outputs/<name>}). */
public final class Outputs {
  /** Valid readings of sensors that send them (default: sensors without a window). */
  public static final String READINGS = "readings";
  /** The features of each window. */
  public static final String FEATURES = "features";
  /** The raw samples of each window, for sensors with {@code sendWindows}. */
  public static final String WINDOWS = "windows";
  /** Readings and blocks that failed validation, with the check and the reason. */
  public static final String DEADLETTER = "deadletter";

  private Outputs() {}
}
