package io.edgeai4j.training;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, with accuracy and per-class precision and recall. Mutable
 * while counting ({@link #add}); not thread-safe.
 */
public final class ConfusionMatrix {
  private static final FaultClass[] CLASSES = FaultClass.values();
  private final long[][] counts = new long[CLASSES.length][CLASSES.length];
  private long total;

  /** Counts one prediction. */
  public void add(FaultClass truth, FaultClass predicted) {
    counts[truth.ordinal()][predicted.ordinal()]++;
    total++;
  }

  /** How many rows of class {@code truth} were predicted as {@code predicted}. */
  public long count(FaultClass truth, FaultClass predicted) {
    return counts[truth.ordinal()][predicted.ordinal()];
  }

  /** How many predictions were counted. */
  public long total() {
    return total;
  }

  /** The fraction of predictions that were right; NaN when none were counted. */
  public double accuracy() {
    long right = 0;
    for (FaultClass c : CLASSES) {
      right += count(c, c);
    }
    return (double) right / total;
  }

  /** Of the rows predicted as {@code c}, the fraction that were {@code c}; NaN when none were. */
  public double precision(FaultClass c) {
    long predicted = 0;
    for (FaultClass truth : CLASSES) {
      predicted += count(truth, c);
    }
    return (double) count(c, c) / predicted;
  }

  /** Of the rows of class {@code c}, the fraction predicted as {@code c}; NaN when there were none. */
  public double recall(FaultClass c) {
    long actual = 0;
    for (FaultClass predicted : CLASSES) {
      actual += count(c, predicted);
    }
    return (double) count(c, c) / actual;
  }

  /** A Markdown report: accuracy, a per-class precision and recall table, and the matrix (rows: truth). */
  public String report() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "accuracy: %.4f (%d windows)%n%n", accuracy(), total));
    out.append("| class | windows | precision | recall |\n|---|---:|---:|---:|\n");
    for (FaultClass c : CLASSES) {
      long support = 0;
      for (FaultClass p : CLASSES) {
        support += count(c, p);
      }
      out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", c.label(), support, precision(c),
          recall(c)));
    }
    out.append("\n| truth \\ predicted |");
    for (FaultClass c : CLASSES) {
      out.append(' ').append(c.label()).append(" |");
    }
    out.append("\n|---|");
    out.append("---:|".repeat(CLASSES.length)).append('\n');
    for (FaultClass truth : CLASSES) {
      out.append("| ").append(truth.label()).append(" |");
      for (FaultClass p : CLASSES) {
        out.append(' ').append(count(truth, p)).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }
}
