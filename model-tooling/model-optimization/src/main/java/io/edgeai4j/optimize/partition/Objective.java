package io.edgeai4j.optimize.partition;

import java.util.Locale;

/**
 * What the planner minimizes: {@link #LATENCY}, one request's end-to-end time (compute on every tier, serialization
 * and transfer on every link); {@link #THROUGHPUT}, the slowest pipeline stage (a tier's compute and codec work, or a
 * link's wire time), which bounds the requests per second when requests overlap.
 */
public enum Objective {
  LATENCY,
  THROUGHPUT;

  /** The name on the command line: {@code latency}, {@code throughput}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
