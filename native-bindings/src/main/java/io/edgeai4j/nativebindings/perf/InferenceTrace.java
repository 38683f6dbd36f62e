package io.edgeai4j.nativebindings.perf;

/**
 * The timestamps of one query, in milliseconds since the start of the run, as trtexec's {@code InferenceTrace}
 * records them: enqueue on the host, then host-to-device copy, GPU compute and device-to-host copy on the stream.
 *
 * <p>Immutable. Each phase must end no earlier than it starts and every value must be finite.
 */
public record InferenceTrace(double enqStartMs, double enqEndMs, double h2dStartMs, double h2dEndMs,
    double computeStartMs, double computeEndMs, double d2hStartMs, double d2hEndMs) {

  /** Checks each phase. */
  public InferenceTrace {
    phase("enqueue", enqStartMs, enqEndMs);
    phase("h2d", h2dStartMs, h2dEndMs);
    phase("compute", computeStartMs, computeEndMs);
    phase("d2h", d2hStartMs, d2hEndMs);
  }

  private static void phase(String name, double start, double end) {
    if (!Double.isFinite(start) || !Double.isFinite(end)) {
      throw new IllegalArgumentException(name + " times must be finite, found start " + start + " ms, end " + end
          + " ms");
    }
    if (end < start) {
      throw new IllegalArgumentException(name + " ends before it starts: start " + start + " ms, end " + end
          + " ms; expected end >= start");
    }
  }

  /** Host time to enqueue the query. */
  public double enqueueMs() {
    return enqEndMs - enqStartMs;
  }

  /** Host-to-device copy of the inputs. */
  public double h2dMs() {
    return h2dEndMs - h2dStartMs;
  }

  /** GPU compute time. */
  public double computeMs() {
    return computeEndMs - computeStartMs;
  }

  /** Device-to-host copy of the outputs. */
  public double d2hMs() {
    return d2hEndMs - d2hStartMs;
  }

  /** trtexec's Latency: H2D + GPU compute + D2H. */
  public double latencyMs() {
    return h2dMs() + computeMs() + d2hMs();
  }

  /** trtexec's End-to-End Host Latency: from the start of the H2D copy to the end of the D2H copy. */
  public double endToEndMs() {
    return d2hEndMs - h2dStartMs;
  }
}
