package io.edgeai4j.cli.model.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * The concurrency levels of a sweep, written {@code start:end[:step]} as perf_analyzer's {@code --concurrency-range}:
 * with a step, {@code start, start+step, ...} up to {@code end}; without one, doubling {@code start, 2 start, 4 start,
 * ...} up to {@code end}, and {@code end} itself when the doubling skips it; a single number is one level. Immutable.
 *
 * @param start The first level, at least 1.
 * @param end The last level, from {@code start} to {@value #MAX}.
 * @param step The linear step, or 0 for doubling.
 */
public record ConcurrencyRange(int start, int end, int step) {
  /** The most requests a sweep keeps outstanding. */
  public static final int MAX = 1024;

  /** Validates. */
  public ConcurrencyRange {
    if (start < 1 || end < start || end > MAX || step < 0) {
      throw new IllegalArgumentException("concurrency range must be start:end[:step] with 1 <= start <= end <= " + MAX
          + " and step >= 1, found " + start + ":" + end + (step == 0 ? "" : ":" + step));
    }
  }

  /**
   * Reads {@code start:end[:step]} or a single level.
   *
   * @throws IllegalArgumentException Naming what was found and the syntax expected.
   */
  public static ConcurrencyRange parse(String text) {
    String[] parts = text.trim().split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException(expected(text));
    }
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(expected(text));
      }
    }
    if (parts.length == 3 && values[2] < 1) {
      throw new IllegalArgumentException("'" + text + "': the step must be at least 1, found " + values[2]);
    }
    int start = values[0];
    int end = parts.length == 1 ? start : values[1];
    if (start < 1 || end < start || end > MAX) {
      throw new IllegalArgumentException("'" + text + "': expected 1 <= start <= end <= " + MAX + ", found start "
          + start + " and end " + end);
    }
    return new ConcurrencyRange(start, end, parts.length == 3 ? values[2] : 0);
  }

  private static String expected(String text) {
    return "'" + text + "' is not a concurrency range; expected start:end[:step] of integers, e.g. 1:32 (doubling)"
        + " or 1:32:4 (linear)";
  }

  /** The levels, ascending. */
  public List<Integer> levels() {
    List<Integer> levels = new ArrayList<>();
    if (step > 0) {
      for (int c = start; c <= end; c += step) {
        levels.add(c);
      }
      return levels;
    }
    for (long c = start; c <= end; c *= 2) {
      levels.add((int) c);
    }
    if (levels.get(levels.size() - 1) != end) {
      levels.add(end);
    }
    return levels;
  }

  @Override
  public String toString() {
    return start + ":" + end + (step == 0 ? "" : ":" + step);
  }
}
