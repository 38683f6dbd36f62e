package io.edgeai4j.module.metrics;

import io.edgeai4j.module.MessageDisposition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The metric families every edgeai4j module gets, labelled by {@code module}.
 *
 * <p>A {@link PrometheusRegistry} refuses a second family of the same name, so there is exactly one
 * {@code FrameworkMetrics} per registry: {@link #forRegistry(PrometheusRegistry)} registers the
 * families the first time it sees a registry and returns the same instance afterwards. All the module
 * hosts of a process that share a registry therefore share these families and differ by their
 * {@code module} label. Instances are thread-safe; nothing here needs closing.
 */
public final class FrameworkMetrics {
  /**
   * Input messages, by input and by what the transport was told ({@code complete|abandon|reject}), once per
   * delivery by the transport: the host's own offers again are in {@link #INPUT_REDELIVERIES}, and a
   * dead-lettered message counts as {@code complete}. {@code abandon} counts input the host gave back: it
   * arrived while the module was starting or stopping, or was waiting for its next offer when the module
   * stopped.
   */
  public static final String MESSAGES_RECEIVED = "edgeai4j_module_messages_received_total";
  /** Messages the hub accepted, by output. */
  public static final String MESSAGES_SENT = "edgeai4j_module_messages_sent_total";
  /** Messages that did not leave the module, by output and reason ({@code too_large|transport}). */
  public static final String MESSAGES_REFUSED = "edgeai4j_module_messages_refused_total";
  /**
   * Messages sent with a JSON object or array body but no {@code contentType}, by output: edgeHub accepts
   * them, but every {@code $body} route condition evaluates to undefined on them.
   */
  public static final String MESSAGES_WITHOUT_CONTENT_TYPE = "edgeai4j_module_messages_without_content_type_total";
  /**
   * Offers of an abandoned input message to its handler again, by input: each one after the first attempt
   * (the host's redelivery, with backoff).
   */
  public static final String INPUT_REDELIVERIES = "edgeai4j_module_input_redeliveries_total";
  /**
   * Input messages dead-lettered, by input: abandoned on every attempt, then sent to the module's output
   * {@code deadLetters} and completed (so they count as {@code complete} in {@link #MESSAGES_RECEIVED} too).
   */
  public static final String INPUT_DEAD_LETTERED = "edgeai4j_module_input_dead_lettered_total";
  /** Input messages whose handler failed, or that arrived on an input with no handler. */
  public static final String INPUT_ERRORS = "edgeai4j_module_input_errors_total";
  /** Direct-method calls, by method and HTTP-like status. */
  public static final String METHOD_CALLS = "edgeai4j_module_method_calls_total";
  /**
   * Whole-twin reads, by reason ({@code start|version_gap|missing_version|lower_version|reconnect}); a retry
   * of a failed read counts under the reason of the read it retries.
   */
  public static final String TWIN_FULL_READS = "edgeai4j_module_twin_full_reads_total";
  /** Whole-twin reads that failed (the host retries them with backoff, except the read at start). */
  public static final String TWIN_READ_FAILURES = "edgeai4j_module_twin_read_failures_total";
  /** Runs of scheduled tasks that threw. */
  public static final String SCHEDULED_TASK_ERRORS = "edgeai4j_module_scheduled_task_errors_total";
  /** 1 while the module is connected to its hub, else 0. */
  public static final String CONNECTED = "edgeai4j_module_connected";
  /** The {@code $version} of the desired properties the module last read. */
  public static final String DESIRED_VERSION = "edgeai4j_module_desired_version";
  /** Input messages being handled (or queued for their input's thread) right now. */
  public static final String INPUTS_IN_FLIGHT = "edgeai4j_module_inputs_in_flight";
  /**
   * Messages sent (with {@code send} or {@code sendAsync}) and not yet acknowledged by the hub, callers waiting for
   * a slot of the transport's window included (edgehub-mqtt puts at most {@code EDGEAI4J_MQTT_MAX_INFLIGHT} on the
   * wire; beyond it {@code sendAsync} blocks its caller, who is counted here).
   */
  public static final String SENDS_IN_FLIGHT = "edgeai4j_module_sends_in_flight";

  /** The {@code method} label of calls to methods that have no handler, so callers cannot grow it. */
  public static final String UNREGISTERED_METHOD = "_unregistered";

  private static final Map<PrometheusRegistry, FrameworkMetrics> BY_REGISTRY = new WeakHashMap<>();

  private final Counter received;
  private final Counter sent;
  private final Counter refused;
  private final Counter withoutContentType;
  private final Counter inputErrors;
  private final Counter redeliveries;
  private final Counter deadLettered;
  private final Counter methodCalls;
  private final Counter twinFullReads;
  private final Counter twinReadFailures;
  private final Counter scheduledTaskErrors;
  private final Gauge connected;
  private final Gauge desiredVersion;
  private final Gauge inputsInFlight;
  private final Gauge sendsInFlight;

  /** Why a message did not leave the module. */
  public enum RefusalReason {
    /** Over {@link io.edgeai4j.module.EdgeMessage#MAX_SIZE_BYTES}. */
    TOO_LARGE("too_large"),
    /** The transport did not get an acknowledgement from the hub. */
    TRANSPORT("transport");

    private final String label;

    RefusalReason(String label) {
      this.label = label;
    }

    /** Returns the value of the {@code reason} label. */
    public String label() {
      return label;
    }
  }

  /** Why the whole twin was read. */
  public enum TwinReadReason {
    /** The read at start. */
    START("start"),
    /** A desired patch skipped one or more {@code $version}s. */
    VERSION_GAP("version_gap"),
    /** A desired patch carried no {@code $version}, so it could not be placed. */
    MISSING_VERSION("missing_version"),
    /**
     * A desired patch carried a {@code $version} lower than the last one: the twin was reset (e.g. the module
     * identity was recreated, iotedge#1493), or the hub delivered an old patch late.
     */
    LOWER_VERSION("lower_version"),
    /** The connection came back; the hub drops desired patches sent while a module is offline. */
    RECONNECT("reconnect");

    private final String label;

    TwinReadReason(String label) {
      this.label = label;
    }

    /** Returns the value of the {@code reason} label. */
    public String label() {
      return label;
    }
  }

  private FrameworkMetrics(PrometheusRegistry registry) {
    received = counter(registry, MESSAGES_RECEIVED, "Input messages received, by what the module did with them.",
        "module", "input", "disposition");
    sent = counter(registry, MESSAGES_SENT, "Messages the hub accepted.", "module", "output");
    refused = counter(registry, MESSAGES_REFUSED, "Messages that did not leave the module.",
        "module", "output", "reason");
    withoutContentType = counter(registry, MESSAGES_WITHOUT_CONTENT_TYPE,
        "Messages sent with a JSON body but no contentType; $body routes evaluate to undefined on them.",
        "module", "output");
    inputErrors = counter(registry, INPUT_ERRORS,
        "Input messages whose handler failed or whose input has no handler.", "module", "input");
    redeliveries = counter(registry, INPUT_REDELIVERIES,
        "Offers of an abandoned input message to its handler again.", "module", "input");
    deadLettered = counter(registry, INPUT_DEAD_LETTERED,
        "Input messages abandoned on every attempt, then sent to the output deadLetters.", "module", "input");
    methodCalls = counter(registry, METHOD_CALLS, "Direct-method calls, by status.", "module", "method", "status");
    twinFullReads = counter(registry, TWIN_FULL_READS, "Reads of the whole twin.", "module", "reason");
    twinReadFailures = counter(registry, TWIN_READ_FAILURES, "Reads of the whole twin that failed.", "module");
    scheduledTaskErrors = counter(registry, SCHEDULED_TASK_ERRORS, "Runs of scheduled tasks that threw.", "module");
    connected = gauge(registry, CONNECTED, "1 while the module is connected to its hub, else 0.");
    desiredVersion = gauge(registry, DESIRED_VERSION, "The $version of the desired properties last read.");
    inputsInFlight = gauge(registry, INPUTS_IN_FLIGHT, "Input messages being handled or queued right now.");
    sendsInFlight = gauge(registry, SENDS_IN_FLIGHT, "Sent messages waiting for the hub's acknowledgement now.");
  }

  /**
   * Returns the metric families of a registry, registering them the first time.
   *
   * @param registry The registry.
   * @return The same instance for every call with the same registry.
   * @throws IllegalArgumentException If something other than this class already registered one of the
   *     names in the registry.
   */
  public static FrameworkMetrics forRegistry(PrometheusRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (BY_REGISTRY) {
      return BY_REGISTRY.computeIfAbsent(registry, FrameworkMetrics::new);
    }
  }

  /**
   * Counts an input message by its disposition.
   *
   * @param module The module id.
   * @param input The input name.
   * @param disposition What was done with it.
   */
  public void messageReceived(String module, String input, MessageDisposition disposition) {
    received.labelValues(module, input, disposition.name().toLowerCase(Locale.ROOT)).inc();
  }

  /**
   * Counts a message the hub accepted.
   *
   * @param module The module id.
   * @param output The output name.
   */
  public void messageSent(String module, String output) {
    sent.labelValues(module, output).inc();
  }

  /**
   * Counts a message that did not leave the module.
   *
   * @param module The module id.
   * @param output The output name.
   * @param reason Why.
   */
  public void messageRefused(String module, String output, RefusalReason reason) {
    refused.labelValues(module, output, reason.label()).inc();
  }

  /**
   * Counts a message sent with a JSON object or array body but no {@code contentType}.
   *
   * @param module The module id.
   * @param output The output name.
   */
  public void messageWithoutContentType(String module, String output) {
    withoutContentType.labelValues(module, output).inc();
  }

  /**
   * Counts an input message whose handler failed, or that arrived on an input with no handler.
   *
   * @param module The module id.
   * @param input The input name.
   */
  public void inputError(String module, String input) {
    inputErrors.labelValues(module, input).inc();
  }

  /**
   * Counts one more offer of an abandoned input message to its handler.
   *
   * @param module The module id.
   * @param input The input name.
   */
  public void inputRedelivery(String module, String input) {
    redeliveries.labelValues(module, input).inc();
  }

  /**
   * Counts an input message sent to the output {@code deadLetters} after its last attempt.
   *
   * @param module The module id.
   * @param input The input name.
   */
  public void inputDeadLettered(String module, String input) {
    deadLettered.labelValues(module, input).inc();
  }

  /**
   * Counts a direct-method call.
   *
   * @param module The module id.
   * @param method The method name, or {@link #UNREGISTERED_METHOD}.
   * @param status The status returned to the caller.
   */
  public void methodCall(String module, String method, int status) {
    methodCalls.labelValues(module, method, Integer.toString(status)).inc();
  }

  /**
   * Counts a read of the whole twin.
   *
   * @param module The module id.
   * @param reason Why it was read.
   */
  public void twinFullRead(String module, TwinReadReason reason) {
    twinFullReads.labelValues(module, reason.label()).inc();
  }

  /**
   * Counts a read of the whole twin that failed.
   *
   * @param module The module id.
   */
  public void twinReadFailure(String module) {
    twinReadFailures.labelValues(module).inc();
  }

  /**
   * Counts a run of a scheduled task that threw.
   *
   * @param module The module id.
   */
  public void scheduledTaskError(String module) {
    scheduledTaskErrors.labelValues(module).inc();
  }

  /**
   * Sets whether the module is connected.
   *
   * @param module The module id.
   * @param isConnected Whether it is.
   */
  public void setConnected(String module, boolean isConnected) {
    connected.labelValues(module).set(isConnected ? 1 : 0);
  }

  /**
   * Sets the {@code $version} of the desired properties last read.
   *
   * @param module The module id.
   * @param version The version.
   */
  public void setDesiredVersion(String module, long version) {
    desiredVersion.labelValues(module).set(version);
  }

  /**
   * Adds to the number of input messages in flight.
   *
   * @param module The module id.
   * @param delta +1 when a message is accepted, -1 when it has been answered.
   */
  public void addInputsInFlight(String module, int delta) {
    inputsInFlight.labelValues(module).inc(delta);
  }

  /**
   * Adds to the number of sent messages waiting for the hub's acknowledgement.
   *
   * @param module The module id.
   * @param delta +1 when a send starts, -1 when the hub accepted or refused it.
   */
  public void addSendsInFlight(String module, int delta) {
    sendsInFlight.labelValues(module).inc(delta);
  }

  /**
   * Creates the series of one module at their initial values (not connected, version 0, nothing in
   * flight, no task errors, no failed twin reads), so that they are scraped before anything happens.
   *
   * @param module The module id.
   */
  public void initModule(String module) {
    connected.labelValues(module).set(0);
    desiredVersion.labelValues(module).set(0);
    inputsInFlight.labelValues(module);
    sendsInFlight.labelValues(module);
    scheduledTaskErrors.initLabelValues(module);
    twinReadFailures.initLabelValues(module);
  }

  private static Counter counter(PrometheusRegistry registry, String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder().name(name).help(help).labelNames("module").register(registry);
  }
}
