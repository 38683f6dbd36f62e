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
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving metric families, labelled by {@code module}, {@code model} and {@code version}. One instance per
 * registry (a registry refuses a family registered twice), shared by every {@link ModelServer} using it. Latencies
 * are classic histograms with the buckets of {@link #LATENCY_BUCKETS} (50 µs to 10 s): an observation costs a
 * bucket search and an atomic add, and histograms of many devices add up, so a fleet's p50/p90/p99 are one
 * {@code histogram_quantile} away. Thread-safe.
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
  /** Per {@code [module, model, version]}: the series that last claimed the state gauge (see Series#claimState). */
  private final ConcurrentHashMap<List<String>, Series> stateOwners = new ConcurrentHashMap<>();

  private ServingMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("edgeai4j_inference_requests_total")
        .help("Inference requests answered, by outcome: success or the failure kind in lower case")
        .labelNames("module", "model", "version", "outcome").register(registry);
    count = Counter.builder().name("edgeai4j_inference_count_total")
        .help("Inferences run (rows; a request may carry several)").labelNames("module", "model", "version")
        .register(registry);
    executions = Counter.builder().name("edgeai4j_inference_executions_total")
        .help("Model runs (batches); average batch size = count / executions").labelNames("module", "model", "version")
        .register(registry);
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
  }

  /** Upper bounds of the latency buckets, in seconds: 1-2.5-5 steps from 50 µs to 10 s. */
  static final double[] LATENCY_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private static Histogram.Builder histogram(String name, String help) {
    return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(LATENCY_BUCKETS)
        .labelNames("module", "model", "version");
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

    private Series(ServingMetrics m, String module, String model, String version) {
      metrics = m;
      key = List.of(module, model, version);
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
      for (VersionState s : VersionState.values()) {
        states.put(s, m.state.labelValues(module, model, version, s.label()));
      }
    }

    void succeeded(Duration queueTime, Duration total) {
      success.inc();
      queue.observe(seconds(queueTime));
      request.observe(seconds(total));
    }

    void failed(FailureKind kind, Duration total) {
      failures.get(kind).inc();
      request.observe(seconds(total));
    }

    void executed(int rows, Duration computeTime) {
      executions.inc();
      count.inc(rows);
      compute.observe(seconds(computeTime));
    }

    void loaded(Duration loadTime) {
      loadSeconds.set(seconds(loadTime));
    }

    /** Sets the state gauge and makes this series its owner: other series' {@link #state} writes are ignored. */
    void claimState(VersionState current) {
      metrics.stateOwners.compute(key, (k, owner) -> {
        write(current);
        return this;
      });
    }

    /** Sets the state gauge if this series owns it (the last to claim it); else does nothing. */
    void state(VersionState current) {
      metrics.stateOwners.compute(key, (k, owner) -> {
        if (owner == null || owner == this) {
          write(current);
          return this;
        }
        return owner;
      });
    }

    private void write(VersionState current) {
      for (Map.Entry<VersionState, GaugeDataPoint> e : states.entrySet()) {
        e.getValue().set(e.getKey() == current ? 1 : 0);
      }
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }
}
