package io.edgeai4j.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a fault classifier's predictions against the simulator's ground truth, window by window and
 * machine by machine. A window's truth is the simulator's {@code label} that travelled with its features;
 * its prediction the classifier's class. "Fault" means any class other than {@value #HEALTHY}.
 *
 * <ul>
 *   <li>precision and recall of fault detection over windows: a window predicted as a fault is a true
 *       positive when the machine was faulty then (whatever the kind), a false positive otherwise;
 *   <li>accuracy of the fault kind over faulty windows;
 *   <li>time to detect, per machine: from the first faulty window to the first alert after it.
 * </ul>
 *
 * Thread-safe.
 */
public final class DetectionScore {
  /** The class that means "no fault". */
  public static final String HEALTHY = "normal";

  private long truePositives;
  private long falsePositives;
  private long falseNegatives;
  private long trueNegatives;
  private long kindCorrect;
  private final Map<String, Map<String, Long>> confusion = new TreeMap<>();
  private final Map<String, Instant> onsets = new TreeMap<>();
  private final Map<String, String> faultKinds = new TreeMap<>();
  private final Map<String, Instant> detections = new TreeMap<>();
  private final List<Double> latenciesMillis = new ArrayList<>();
  private long alerts;
  private long falseAlerts;

  /**
   * Counts one classified window.
   *
   * @param machine The source the window came from.
   * @param truth The simulator's label ({@value #HEALTHY} or the fault kind, possibly kinds joined with {@code +}).
   * @param prediction The classifier's class.
   * @param at When the window was classified.
   * @param latencyMillis The inference's end-to-end latency, or NaN when unknown.
   */
  public synchronized void result(String machine, String truth, String prediction, Instant at, double latencyMillis) {
    boolean faulty = !HEALTHY.equals(truth);
    boolean predictedFaulty = !HEALTHY.equals(prediction);
    if (faulty && predictedFaulty) {
      truePositives++;
    } else if (predictedFaulty) {
      falsePositives++;
    } else if (faulty) {
      falseNegatives++;
    } else {
      trueNegatives++;
    }
    if (faulty) {
      if (List.of(truth.split("\\+")).contains(prediction)) {
        kindCorrect++;
      }
      if (!onsets.containsKey(machine)) {
        onsets.put(machine, at);
        faultKinds.put(machine, truth);
      }
    }
    confusion.computeIfAbsent(truth, t -> new TreeMap<>()).merge(prediction, 1L, Long::sum);
    if (!Double.isNaN(latencyMillis)) {
      latenciesMillis.add(latencyMillis);
    }
  }

  /** Counts one alert (a window the inference module flagged as a fault). */
  public synchronized void alert(String machine, String truth, Instant at) {
    alerts++;
    if (HEALTHY.equals(truth)) {
      falseAlerts++;
      return;
    }
    Instant onset = onsets.get(machine);
    if (onset != null && !at.isBefore(onset)) {
      detections.putIfAbsent(machine, at);
    }
  }

  /** Windows classified so far. */
  public synchronized long windows() {
    return truePositives + falsePositives + falseNegatives + trueNegatives;
  }

  public synchronized long alerts() {
    return alerts;
  }

  /** Fault-detection precision over windows, or NaN with no predicted fault. */
  public synchronized double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** Fault-detection recall over windows, or NaN with no faulty window. */
  public synchronized double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /** How often the predicted kind is the true kind, over faulty windows; NaN with none. */
  public synchronized double kindAccuracy() {
    return ratio(kindCorrect, truePositives + falseNegatives);
  }

  /** The latency percentile ({@code 0 < p <= 100}) in milliseconds, or NaN with no latencies. */
  public synchronized double latencyPercentile(double p) {
    if (latenciesMillis.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(latenciesMillis);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Per faulty machine: its fault, the onset, and the time to the first alert (null when not detected). */
  public synchronized Map<String, Detection> detections() {
    Map<String, Detection> result = new TreeMap<>();
    onsets.forEach((machine, onset) -> {
      Instant detected = detections.get(machine);
      result.put(machine, new Detection(faultKinds.get(machine), onset,
          detected == null ? null : Duration.between(onset, detected)));
    });
    return result;
  }

  /** Window counts by true class, then predicted class. */
  public synchronized Map<String, Map<String, Long>> confusion() {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    confusion.forEach((t, row) -> copy.put(t, new TreeMap<>(row)));
    return copy;
  }

  /** Alerts raised on a healthy machine. */
  public synchronized long falseAlerts() {
    return falseAlerts;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }

  /**
   * A machine's fault and how long it took to raise an alert.
   *
   * @param fault The fault's label.
   * @param onset When its first faulty window was classified.
   * @param timeToDetect From the onset to the first alert; null when none came.
   */
  public record Detection(String fault, Instant onset, Duration timeToDetect) {}
}
