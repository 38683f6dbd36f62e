package io.edgeai4j.inference.serving;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The serving metric families, labelled by {@code module}, {@code model} and {@code version}. One instance per
 * registry (a registry refuses a family registered twice), shared by every {@link ModelServer} using it. Latencies
 * are classic histograms with the buckets of {@link #LATENCY_BUCKETS} (50 µs to 10 s): an observation costs a
 * bucket search and an atomic add, and histograms of many devices add up, so a fleet's p50/p90/p99 are one
 * {@code histogram_quantile} away. The series of a version are removed once it is unloaded and
 * {@value #UNLOADED_VERSIONS_KEPT} versions of its model were unloaded after it. No family keeps exemplars: with no
 * tracing there is no trace to point at, and sampling them cost about a twentieth of a microsecond model's serving
 * path (a profile in benchmarks/README.md). Thread-safe.
 */
final class ServingMetrics {
  private static final Map<PrometheusRegistry, ServingMetrics> BY_REGISTRY = new WeakHashMap<>();

  private final Counter requests;
  private final Counter count;
  private final Counter executions;
  private final Histogram queue;
  private final Histogram compute;
  private final Histogram request;
  private final Gauge loadSeconds;
  private final Gauge state;
  private final Counter goldenChecks;
  private final Gauge pending;
  /** Guards {@link #stateOwners} and {@link #unloaded}: state changes are rare (loads, drains, unloads). */
  private final Object stateLock = new Object();
  /** Per {@code [module, model, version]}: the series that last claimed the state gauge (see Series#claimState). */
  private final Map<List<String>, Series> stateOwners = new HashMap<>();
  /**
   * Per {@code [module, model]}: the versions whose state is UNLOADED, oldest first; beyond
   * {@link #UNLOADED_VERSIONS_KEPT} the oldest one's series are removed.
   */
  private final Map<List<String>, LinkedHashSet<String>> unloaded = new HashMap<>();

  private ServingMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("edgeai4j_inference_requests_total")
        .help("Inference requests answered, by outcome: success or the failure kind in lower case")
        .labelNames("module", "model", "version", "outcome").withoutExemplars().register(registry);
    count = Counter.builder().name("edgeai4j_inference_count_total")
        .help("Inferences run (rows; a request may carry several)").labelNames("module", "model", "version")
        .withoutExemplars().register(registry);
    executions = Counter.builder().name("edgeai4j_inference_executions_total")
        .help("Model runs (batches); average batch size = count / executions").labelNames("module", "model", "version")
        .withoutExemplars().register(registry);
    queue = histogram("edgeai4j_inference_queue_seconds", "Time requests waited in the queue before their batch ran")
        .register(registry);
    compute = histogram("edgeai4j_inference_compute_seconds", "Time one run (batch) took in the backend")
        .register(registry);
    request = histogram("edgeai4j_inference_request_seconds", "Time from accepting a request to answering it")
        .register(registry);
    loadSeconds = Gauge.builder().name("edgeai4j_inference_model_load_seconds")
        .help("Time the last load of a version took, warm-up included").labelNames("module", "model", "version")
        .register(registry);
    state = Gauge.builder().name("edgeai4j_inference_model_state")
        .help("1 for the state a model version is in, 0 for the others")
        .labelNames("module", "model", "version", "state").register(registry);
    goldenChecks = Counter.builder().name("edgeai4j_inference_golden_checks_total")
        .help("Golden checks of loaded versions against their golden.json, by outcome: passed, failed (an output"
            + " differs or a sample cannot run) or invalid (golden.json does not parse)")
        .labelNames("module", "model", "version", "outcome").register(registry);
    pending = Gauge.builder().name("edgeai4j_inference_pending_requests")
        .help("Requests of a model accepted and not answered yet: queued or running, all versions together")
        .labelNames("module", "model").register(registry);
  }

  /**
   * How many unloaded versions of a model keep their series (state {@code unloaded}, final counts) so that the next
   * scrapes see how they ended; the series of older unloaded versions are removed, so that a model swapped again
   * and again keeps a bounded number of series.
   */
  static final int UNLOADED_VERSIONS_KEPT = 2;

  /** Upper bounds of the latency buckets, in seconds: 1-2.5-5 steps from 50 µs to 10 s. */
  static final double[] LATENCY_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private static Histogram.Builder histogram(String name, String help) {
    return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(LATENCY_BUCKETS)
        .labelNames("module", "model", "version").withoutExemplars();
  }

  /** The instance for a registry, registering the families the first time. */
  static synchronized ServingMetrics forRegistry(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, ServingMetrics::new);
  }

  /** Counts a request that failed before a version was chosen (version label empty). */
  void failedUnrouted(String module, String model, FailureKind kind) {
    requests.labelValues(module, model, "", kind.outcome()).inc();
  }

  /** Counts a golden check of a version; {@code outcome} is {@code passed}, {@code failed} or {@code invalid}. */
  void goldenChecked(String module, String model, long version, String outcome) {
    goldenChecks.labelValues(module, model, Long.toString(version), outcome).inc();
  }

  /** Records a version's state for the retention of unloaded versions; called under {@link #stateLock}. */
  private void stateWritten(List<String> key, VersionState current) {
    List<String> modelKey = key.subList(0, 2);
    LinkedHashSet<String> versions = unloaded.computeIfAbsent(List.copyOf(modelKey), k -> new LinkedHashSet<>());
    versions.remove(key.get(2));
    if (current == VersionState.UNLOADED) {
      versions.add(key.get(2));
    }
    Iterator<String> oldest = versions.iterator();
    while (versions.size() > UNLOADED_VERSIONS_KEPT) {
      String version = oldest.next();
      oldest.remove();
      removeSeries(key.get(0), key.get(1), version);
    }
    if (versions.isEmpty()) {
      unloaded.remove(modelKey);
    }
  }

  /** Removes every series of one version (it is unloaded and no longer kept); called under {@link #stateLock}. */
  private void removeSeries(String module, String model, String version) {
    stateOwners.remove(List.of(module, model, version));
    requests.remove(module, model, version, "success");
    for (FailureKind kind : FailureKind.values()) {
      requests.remove(module, model, version, kind.outcome());
    }
    count.remove(module, model, version);
    executions.remove(module, model, version);
    queue.remove(module, model, version);
    compute.remove(module, model, version);
    request.remove(module, model, version);
    loadSeconds.remove(module, model, version);
    for (VersionState s : VersionState.values()) {
      state.remove(module, model, version, s.label());
    }
    for (String outcome : List.of("passed", "failed", "invalid")) {
      goldenChecks.remove(module, model, version, outcome);
    }
  }

  /** The series of one model version. */
  Series series(String module, String model, long version) {
    return new Series(this, module, model, Long.toString(version));
  }

  /**
   * The series of one model version, resolved once. Thread-safe. Several series objects may describe the same
   * version (a version unloaded and loaded again, a load beside a copy still draining): the state gauge follows the
   * one that last {@linkplain #claimState claimed} it, so a draining copy's late writes cannot overwrite the state
   * of its successor.
   */
  static final class Series {
    private final ServingMetrics metrics;
    private final List<String> key;
    private final CounterDataPoint success;
    private final Map<FailureKind, CounterDataPoint> failures = new EnumMap<>(FailureKind.class);
    private final CounterDataPoint count;
    private final CounterDataPoint executions;
    private final DistributionDataPoint queue;
    private final DistributionDataPoint compute;
    private final DistributionDataPoint request;
    private final GaugeDataPoint loadSeconds;
    private final Map<VersionState, GaugeDataPoint> states = new EnumMap<>(VersionState.class);
    /** The model's pending-requests gauge (all its versions share it). */
    private final GaugeDataPoint pending;

    private Series(ServingMetrics m, String module, String model, String version) {
      metrics = m;
      key = List.of(module, model, version);
      // Under the lock that removes series: resolved data points are not removed while this version is in use.
      synchronized (m.stateLock) {
        // The version is in use again (loading, or loaded beside a draining copy): its series must not be removed.
        LinkedHashSet<String> unloadedVersions = m.unloaded.get(List.of(module, model));
        if (unloadedVersions != null) {
          unloadedVersions.remove(version);
        }
        success = m.requests.labelValues(module, model, version, "success");
        for (FailureKind kind : FailureKind.values()) {
          failures.put(kind, m.requests.labelValues(module, model, version, kind.outcome()));
        }
        count = m.count.labelValues(module, model, version);
        executions = m.executions.labelValues(module, model, version);
        queue = m.queue.labelValues(module, model, version);
        compute = m.compute.labelValues(module, model, version);
        request = m.request.labelValues(module, model, version);
        loadSeconds = m.loadSeconds.labelValues(module, model, version);
        pending = m.pending.labelValues(module, model);
        for (VersionState s : VersionState.values()) {
          states.put(s, m.state.labelValues(module, model, version, s.label()));
        }
      }
    }

    /** A request was accepted: pending until {@link #succeeded} or {@link #failed} counts its answer. */
    void accepted() {
      pending.inc();
    }

    /** A request {@link #accepted} was not taken after all (its version began retiring): it goes elsewhere. */
    void refused() {
      pending.dec();
    }

    void succeeded(long queueNanos, long totalNanos) {
      pending.dec();
      success.inc();
      queue.observe(queueNanos / 1e9);
      request.observe(totalNanos / 1e9);
    }

    void failed(FailureKind kind, long totalNanos) {
      pending.dec();
      failures.get(kind).inc();
      request.observe(totalNanos / 1e9);
    }

    void executed(int rows, long computeNanos) {
      executions.inc();
      count.inc(rows);
      compute.observe(computeNanos / 1e9);
    }

    void loaded(Duration loadTime) {
      loadSeconds.set(seconds(loadTime));
    }

    /** Sets the state gauge and makes this series its owner: other series' {@link #state} writes are ignored. */
    void claimState(VersionState current) {
      synchronized (metrics.stateLock) {
        metrics.stateOwners.put(key, this);
        write(current);
      }
    }

    /**
     * Sets the state gauge if this series owns it (the last to claim it, and its series were not removed since);
     * else does nothing.
     */
    void state(VersionState current) {
      synchronized (metrics.stateLock) {
        if (metrics.stateOwners.get(key) == this) {
          write(current);
        }
      }
    }

    private void write(VersionState current) {
      for (Map.Entry<VersionState, GaugeDataPoint> e : states.entrySet()) {
        e.getValue().set(e.getKey() == current ? 1 : 0);
      }
      metrics.stateWritten(key, current);
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }
}
