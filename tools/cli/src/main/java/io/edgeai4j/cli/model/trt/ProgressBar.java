package io.edgeai4j.cli.model.trt;

import io.edgeai4j.nativebindings.engine.BuildProgress;
import java.io.PrintWriter;

/**
 * The engine build's progress on one terminal line ({@code \r}-rewritten), as the quantizer's calibration bar:
 * {@code building [##########          ] 1/3}; a phase without a step count shows its name only. A new phase starts
 * a new line, so the phases stay readable in a log. Called from the thread reading the builder's output.
 */
final class ProgressBar implements BuildProgress {
  private static final int BAR = 30;
  private final PrintWriter err;
  private String phase;
  private int width;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void update(String phase, int step, int steps) {
    if (this.phase != null && !this.phase.equals(phase)) {
      err.println();
      width = 0;
    }
    this.phase = phase;
    int filled = steps <= 0 ? 0 : Math.min(BAR, Math.max(0, step) * BAR / steps);
    String line = steps <= 0 ? phase : phase + " [" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + step
        + "/" + steps;
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = line.length();
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  synchronized void finish() {
    if (phase != null) {
      err.println();
      err.flush();
      phase = null;
    }
  }
}
