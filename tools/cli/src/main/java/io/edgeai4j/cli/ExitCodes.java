package io.edgeai4j.cli;

/** The {@code edge} command's exit codes, from sysexits.h. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** A direct method answered with a status of 400 or more. */
  public static final int METHOD_FAILED = 1;
  /** A route condition, message or cases file is invalid. */
  public static final int DATA_ERROR = 65;
  /** A file named on the command line cannot be read. */
  public static final int NO_INPUT = 66;
  /** The running {@code edge run} cannot be reached. */
  public static final int UNAVAILABLE = 69;
  /** Options that picocli refuses, or that contradict each other (picocli's own code for invalid input). */
  public static final int USAGE = 2;
  /** A module or the runtime failed; or a service answered with an error the command cannot explain. */
  public static final int SOFTWARE = 70;
  /** A file, blob or deployment that exists would be overwritten (and the command was not told to). */
  public static final int CANT_CREATE = 73;
  /** The deployment manifest cannot be honoured; or a connection string is refused by its service. */
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
