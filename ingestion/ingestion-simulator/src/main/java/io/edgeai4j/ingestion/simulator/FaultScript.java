package io.edgeai4j.ingestion.simulator;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The scripted faults over simulated time: their severities and the ground-truth label. Immutable;
 * thread-safe.
 *
 * <p>A fault is active from its onset on (even while its severity is still 0 at the very onset). The
 * label is {@code normal} when no fault is active, else the kinds of the active faults in the order of
 * {@link FaultKind} joined with {@code +} (e.g. {@code imbalance+outerRace}). Several faults of one kind
 * act as one, with the largest severity.
 */
public final class FaultScript {
  /** The label while no fault is active. */
  public static final String NORMAL = "normal";

  private final List<FaultSettings> faults;
  private final FaultKind[] kinds;
  private final double[] onsetSeconds;
  private final double[] growthSeconds;
  private final double[] finalSeverity;

  /** Creates the script of {@code faults}. */
  public FaultScript(Collection<FaultSettings> faults) {
    this.faults = List.copyOf(faults);
    int n = this.faults.size();
    this.kinds = new FaultKind[n];
    this.onsetSeconds = new double[n];
    this.growthSeconds = new double[n];
    this.finalSeverity = new double[n];
    for (int i = 0; i < n; i++) {
      FaultSettings fault = this.faults.get(i);
      kinds[i] = fault.kind();
      onsetSeconds[i] = fault.onset().toNanos() / 1e9;
      growthSeconds[i] = fault.growth().toNanos() / 1e9;
      finalSeverity[i] = fault.severity();
    }
  }

  /** The onsets, in nanoseconds of simulated time, in no particular order. */
  public long[] onsetNanos() {
    return faults.stream().mapToLong(f -> f.onset().toNanos()).toArray();
  }

  /** The kinds active at {@code nanos} of simulated time. */
  public Set<FaultKind> activeAt(long nanos) {
    Set<FaultKind> active = EnumSet.noneOf(FaultKind.class);
    for (FaultSettings fault : faults) {
      if (nanos >= fault.onset().toNanos()) {
        active.add(fault.kind());
      }
    }
    return active;
  }

  /** The ground-truth label at {@code nanos} of simulated time. */
  public String labelAt(long nanos) {
    Set<FaultKind> active = activeAt(nanos);
    if (active.isEmpty()) {
      return NORMAL;
    }
    StringJoiner label = new StringJoiner("+");
    active.forEach(kind -> label.add(kind.label()));
    return label.toString();
  }

  /** The severity of each kind at {@code seconds} of simulated time (0 for kinds not active). */
  public Map<FaultKind, Double> severitiesAt(double seconds) {
    Map<FaultKind, Double> severities = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      severities.put(kind, severityAt(kind, seconds));
    }
    return severities;
  }

  /** The severity of {@code kind} at {@code seconds}: the largest among its faults, 0 if none. */
  public double severityAt(FaultKind kind, double seconds) {
    double severity = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == kind) {
        severity = Math.max(severity, severityOf(i, seconds));
      }
    }
    return severity;
  }

  /** The largest severity of any fault at {@code seconds}. */
  public double maxSeverityAt(double seconds) {
    double severity = 0;
    for (int i = 0; i < kinds.length; i++) {
      severity = Math.max(severity, severityOf(i, seconds));
    }
    return severity;
  }

  /** Fault {@code i}'s severity at {@code seconds}; the same ramp as {@link FaultSettings#severityAt}. */
  private double severityOf(int i, double seconds) {
    double since = seconds - onsetSeconds[i];
    if (since < 0) {
      return 0;
    }
    return growthSeconds[i] <= 0 || since >= growthSeconds[i] ? finalSeverity[i]
        : finalSeverity[i] * since / growthSeconds[i];
  }

  /** The message properties for {@code nanos} of simulated time: {@code label} and {@code faultSeverity}. */
  public Map<String, String> propertiesAt(long nanos) {
    return Map.of("label", labelAt(nanos), "faultSeverity", formatSeverity(maxSeverityAt(nanos / 1e9)));
  }

  /** Formats a severity as the {@code faultSeverity} property: three decimals, no locale. */
  public static String formatSeverity(double severity) {
    return String.format(Locale.ROOT, "%.3f", severity);
  }
}
