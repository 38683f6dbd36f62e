package io.edgeai4j.cli;

/** The {@code edge} command's exit codes, from sysexits.h. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;
  /** A direct method answered with a status of 400 or more. */
  static final int METHOD_FAILED = 1;
  /** A route condition, message or cases file is invalid. */
  static final int DATA_ERROR = 65;
  /** A file named on the command line cannot be read. */
  static final int NO_INPUT = 66;
  /** The running {@code edge run} cannot be reached. */
  static final int UNAVAILABLE = 69;
  /** A module or the runtime failed. */
  static final int SOFTWARE = 70;
  /** The deployment manifest cannot be honoured. */
  static final int CONFIG = 78;

  private ExitCodes() {}
}
