package io.edgeai4j.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.delivery.Outbox;
import io.edgeai4j.ingestion.delivery.OutboxStats;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.ingestion.pipeline.IngestionPipeline;
import io.edgeai4j.ingestion.pipeline.ResolvedConfig;
import io.edgeai4j.ingestion.pipeline.SourceRegistry;
import io.edgeai4j.ingestion.pipeline.SourceStatus;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.UnknownKeys;
import io.edgeai4j.module.WritableDirectory;
import io.edgeai4j.module.spi.TransportException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor-ingestion module: reads the sources its twin names, validates each reading (invalid ones go
 * to output {@code deadletter}, one message per sensor, check and source per interval), windows each sensor and
 * sends features (with the timing of single readings against the sample rate), raw windows
 * and readings, keeping each message on disk until edgeHub has accepted it (the outbox). A desired
 * patch reconfigures it without a restart. Reports each source's status and the buffer's levels in
 * reported property {@code ingestion}; direct method {@code status} answers the same, at once.
 *
 * <p>Environment: {@value #SPILL_DIRECTORY_ENV} (the spill buffer; put it on a volume) and
 * {@value #STATE_DIRECTORY_ENV} (the sources' certificates and positions); both default to directories
 * under {@code java.io.tmpdir}. A directory it cannot write stops the start ({@link WritableDirectory}). Thread-safe.
 */
public final class SensorIngestionModule implements EdgeModule {
  /** The environment variable naming the spill directory. */
  public static final String SPILL_DIRECTORY_ENV = "SPILL_DIRECTORY";
  /** The environment variable naming the sources' state directory. */
  public static final String STATE_DIRECTORY_ENV = "STATE_DIRECTORY";
  /** The reported property this module writes. */
  public static final String REPORTED_SECTION = "ingestion";

  private static final Logger LOG = LoggerFactory.getLogger(SensorIngestionModule.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** One rule for the module's own keys and its sources' settings: ignored, with a warning. */
  private static final UnknownKeys UNKNOWN_KEYS = UnknownKeys.WARN;
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|sas).*");
  private static final Duration STOP_FLUSH = Duration.ofSeconds(3);
  /** How often ended dead-letter intervals are sent: each message leaves at most this long after its interval. */
  private static final Duration DEAD_LETTER_TICK = Duration.ofMillis(250);

  private final SourceRegistry registry;
  private final Clock clock;
  private ModuleContext context;
  private Outbox outbox;
  private IngestionPipeline pipeline;
  // Set from any thread (sources report state changes on their own threads) without a lock.
  private final AtomicBoolean configurationChanged = new AtomicBoolean();
  private final AtomicBoolean statusChanged = new AtomicBoolean();
  // Guarded by reportLock, which is never taken while the pipeline's lock is held.
  private final Object reportLock = new Object();
  private Instant lastReport = Instant.EPOCH;
  private Set<String> reportedSources = new HashSet<>();

  /** A module with the source plug-ins on the class path and the system clock. */
  public SensorIngestionModule() {
    this(SourceRegistry.fromClassPath(), Clock.systemUTC());
  }

  /** A module with the given plug-ins and clock (tests). */
  public SensorIngestionModule(SourceRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void start(ModuleContext context) throws Exception {
    this.context = context;
    String module = context.identity().moduleId();
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "edgeai4j", context.identity().deviceId(), module);
    Path spill = WritableDirectory.require(directory(context.environment(), SPILL_DIRECTORY_ENV,
        base.resolve("spill")), "the spill buffer (" + SPILL_DIRECTORY_ENV + ")");
    Path state = WritableDirectory.require(directory(context.environment(), STATE_DIRECTORY_ENV,
        base.resolve("state")), "the sources' state (" + STATE_DIRECTORY_ENV + ")");
    IngestionMetrics metrics = IngestionMetrics.forRegistry(context.metricsRegistry());
    IngestionConfig initial = IngestionConfig.empty();
    try {
      outbox = Outbox.open(context::send, spill, initial.delivery(), module, metrics.outbox(module));
      outbox.start();
      pipeline = new IngestionPipeline(module, outbox::offer, metrics, clock, state, source -> statusChanged.set(true));
      LOG.info("Module {}: spill buffer in {}, source state in {}; source plug-ins: {}", module, spill, state,
          registry.describe());
      context.onMethod("status", request -> MethodResponse.ok(statusDocument(true)));
      context.bindDesiredProperties(IngestionConfig.class, UNKNOWN_KEYS, (config, version) -> apply(config));
      context.schedule(Duration.ofSeconds(1), this::reportIfDue);
      context.schedule(DEAD_LETTER_TICK, pipeline::flushDeadLetters);
    } catch (Exception | Error e) {
      // The host does not call stop() after a failed start: release the spill directory and threads here.
      try {
        stop();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static Path directory(Map<String, String> env, String name, Path fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Path.of(value);
  }

  private void apply(IngestionConfig config) throws Exception {
    ResolvedConfig resolved = ResolvedConfig.resolve(config, registry, UNKNOWN_KEYS);
    resolved.ignored().forEach(context::warnDesiredProperty);
    outbox.reconfigure(config.delivery());
    pipeline.apply(resolved);
    configurationChanged.set(true);
    statusChanged.set(true);
    reportIfDue();
  }

  /**
   * Reports when something changed, or when the status interval has passed. Holds only the report lock:
   * sources report state changes on their own threads without waiting for the hub.
   */
  private void reportIfDue() {
    synchronized (reportLock) {
      ResolvedConfig current = pipeline.current();
      Duration interval = current == null ? Duration.ofSeconds(10) : current.config().statusReportInterval();
      if (!statusChanged.get() && !configurationChanged.get() && clock.instant().isBefore(lastReport.plus(interval))) {
        return;
      }
      boolean withConfiguration = configurationChanged.getAndSet(false);
      statusChanged.set(false);
      ObjectNode section = statusDocument(withConfiguration);
      ObjectNode sources = section.with("sources");
      for (String gone : reportedSources) {
        if (!sources.has(gone)) {
          sources.putNull(gone);
        }
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.set(REPORTED_SECTION, section);
      try {
        context.updateReportedProperties(patch);
        reportedSources = new HashSet<>();
        sources.fieldNames().forEachRemaining(reportedSources::add);
        reportedSources.removeIf(name -> sources.get(name).isNull());
        lastReport = clock.instant();
      } catch (TransportException | IllegalStateException e) {
        if (withConfiguration) {
          configurationChanged.set(true);
        }
        statusChanged.set(true);
        LOG.debug("Reported properties not updated now ({}); trying again later", e.getMessage());
      }
    }
  }

  /** The {@code ingestion} section: sources, delivery and, when asked, the effective configuration. */
  private ObjectNode statusDocument(boolean withConfiguration) {
    ObjectNode section = JsonNodeFactory.instance.objectNode();
    ObjectNode sources = section.putObject("sources");
    for (Map.Entry<String, SourceStatus> e : pipeline.sourceStatus().entrySet()) {
      SourceStatus s = e.getValue();
      ObjectNode node = sources.putObject(e.getKey());
      node.put("type", s.type());
      node.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
      node.put("detail", s.detail());
      node.put("since", s.since().toString());
      node.put("lastReading", s.lastReading() == null ? null : s.lastReading().toString());
      node.put("readings", s.readings());
      node.put("lost", s.lost());
    }
    OutboxStats stats = outbox.stats();
    ObjectNode delivery = section.putObject("delivery");
    delivery.put("memoryQueued", stats.memoryQueued());
    delivery.put("spilledMessages", stats.spilledMessages());
    delivery.put("spilledBytes", stats.spilledBytes());
    delivery.put("spillMaxBytes", stats.spillMaxBytes());
    delivery.put("sent", stats.sent());
    delivery.put("droppedOldest", stats.droppedOldest());
    delivery.put("sendFailures", stats.sendFailures());
    delivery.put("lastError", stats.lastError());
    section.put("reportedAt", clock.instant().toString());
    ResolvedConfig current = pipeline.current();
    if (withConfiguration && current != null) {
      section.set("effectiveConfiguration", effective(current));
    }
    return section;
  }

  /**
   * The configuration in force: the module's own sections with every default filled in, and each source
   * as the twin gave it (its plug-in validated it; its defaults are in the plug-in's README), with
   * passwords and secrets redacted.
   */
  private static ObjectNode effective(ResolvedConfig resolved) {
    ObjectNode config = MAPPER.valueToTree(resolved.config());
    ObjectNode sources = config.putObject("sources");
    resolved.config().sources().forEach((name, node) -> sources.set(name, node.deepCopy()));
    redact(config);
    return config;
  }

  private static void redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Set<String> names = new HashSet<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (SECRET.matcher(name).matches() && !object.get(name).isNull()) {
          object.put(name, "(redacted)");
        } else {
          redact(object.get(name));
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(SensorIngestionModule::redact);
    }
  }

  @Override
  public void stop() throws Exception {
    try {
      if (pipeline != null) {
        pipeline.close();
      }
    } finally {
      if (outbox != null) {
        try {
          if (!outbox.awaitEmpty(STOP_FLUSH)) {
            LOG.info("Module stopping with unsent messages; they are kept on disk and sent after the next start");
          }
        } finally {
          outbox.close();
        }
      }
    }
  }
}
