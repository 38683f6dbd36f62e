package io.edgeai4j.module.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DesiredPropertiesListener;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.UnknownKeys;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.metrics.FrameworkMetrics.TwinReadReason;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TwinDocument;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's copy of a module's desired properties, and the binding of them to the module's configuration
 * type. Patches, whole-twin re-reads and their retries run on the host's twin thread (the single thread of
 * the scheduler given to the constructor); {@link #bind} runs on the module's start thread. Both hold this
 * object's lock while they bind, so listeners are never called concurrently. Thread-safe.
 *
 * <p>Under {@link UnknownKeys#WARN} an unknown key is skipped ({@link UnknownKeyWarnings}) and reported in
 * {@code configurationStatus.warnings}, with the warnings the listener adds ({@link #warn}); under
 * {@link UnknownKeys#REFUSE} it fails the binding with Jackson's error, as any other.
 *
 * <p>The whole twin is authoritative: a re-read replaces the cached document and its {@code $version}, even
 * when that version is lower (a reset twin starts its versions again). A re-read that fails is retried on
 * the twin thread after the delays of {@code retryPolicy} (by default {@link #RETRY_POLICY}), until one succeeds
 * or the scheduler is shut down; there is at most one retry pending at a time. Does not own the scheduler or
 * the transport.
 */
final class DesiredProperties {
  /** The reported property the binding outcome is written to. */
  static final String CONFIGURATION_STATUS = "configurationStatus";
  /** The backoff between retries of a failed whole-twin read: 1 s doubling to 60 s, with the default jitter. */
  static final BackoffPolicy RETRY_POLICY = BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));

  private static final Logger LOG = LoggerFactory.getLogger(DesiredProperties.class);
  private static final int MAX_REPORTED_ERROR_CHARS = 1024;
  /** The most warnings reported; more are counted in a last line (all are logged). */
  static final int MAX_REPORTED_WARNINGS = 20;
  private static final ObjectMapper CONFIG_MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private final ModuleTransport transport;
  private final FrameworkMetrics metrics;
  private final ModuleIdentity identity;
  private final String moduleId;
  private final ScheduledExecutorService twinThread;

  // Guarded by this.
  private ObjectNode desired;
  private long version;
  private Binding<?> binding;

  // Confined to the twin thread.
  private ScheduledFuture<?> retry;
  private final Backoff retryBackoff;

  /**
   * Creates the binding; nothing is read until {@link #readAtStart()}.
   *
   * @param twinThread The host's twin thread, a scheduler with exactly one thread; retries are scheduled on it.
   * @param retryPolicy The backoff between retries of a failed re-read.
   */
  DesiredProperties(ModuleTransport transport, FrameworkMetrics metrics, ModuleIdentity identity,
      ScheduledExecutorService twinThread, BackoffPolicy retryPolicy) {
    this.transport = transport;
    this.metrics = metrics;
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.twinThread = twinThread;
    this.retryBackoff = retryPolicy.start();
  }

  /**
   * Reads the whole twin at start; called on the twin thread, before any patch is applied. A failure is
   * counted and thrown, not retried: it fails the start.
   */
  void readAtStart() throws TransportException {
    metrics.twinFullRead(moduleId, TwinReadReason.START);
    TwinDocument twin;
    try {
      twin = transport.getTwin();
    } catch (TransportException | RuntimeException e) {
      metrics.twinReadFailure(moduleId);
      throw e;
    }
    ObjectNode document = twin.desired();
    stripInPlace(document);
    synchronized (this) {
      desired = document;
      version = twin.desiredVersion();
    }
    metrics.setDesiredVersion(moduleId, twin.desiredVersion());
    LOG.info("Module {} read its twin: desired $version {}", identity, twin.desiredVersion());
  }

  /**
   * Reads the whole twin again because the connection came back: the hub drops desired patches sent while
   * the module was offline. Binds again only when the document changed. Called on the twin thread.
   */
  void readAfterReconnect() {
    synchronized (this) {
      if (desired == null) {
        LOG.debug("Module {}: reconnected before the first twin read; the read includes any change", identity);
        return;
      }
    }
    LOG.info("Module {} reconnected; reading the whole twin, since the hub drops desired patches sent while a"
        + " module is offline", identity);
    reread(TwinReadReason.RECONNECT);
  }

  /** Returns the desired $version last read or merged. */
  synchronized long version() {
    return version;
  }

  /**
   * Binds the current document and calls the listener; keeps the binding for later patches even when this
   * first bind fails, so that a corrected document is applied when it arrives.
   */
  synchronized <T> void bind(Class<T> type, UnknownKeys unknownKeys, DesiredPropertiesListener<T> listener)
      throws DesiredPropertiesException {
    if (binding != null) {
      throw new IllegalStateException("The desired properties of module " + identity + " are already bound to "
          + binding.type.getName() + "; bind them once, to one configuration type");
    }
    if (desired == null) {
      throw new IllegalStateException("The twin of module " + identity + " has not been read yet");
    }
    Binding<T> b = new Binding<>(type, unknownKeys, listener);
    binding = b;
    Failure failure = b.bindAndApply(desired.deepCopy(), version);
    if (failure != null) {
      throw new DesiredPropertiesException(failure.message, failure.cause);
    }
  }

  /**
   * Adds a module's warning to the document its listener is applying; the listener holds this object's lock on
   * its thread, so a call from another thread waits for the apply to end and then fails.
   *
   * @throws IllegalStateException If no listener is applying on this thread.
   */
  synchronized void warn(String pointer, String warning) {
    if (binding == null || binding.applying != Thread.currentThread()) {
      throw new IllegalStateException("Module " + identity + ": warnDesiredProperty(" + pointer + ") is for the"
          + " DesiredPropertiesListener, on its thread, while it applies a configuration");
    }
    binding.warnings.add(new UnknownKeyWarnings.Warning(pointer, pointer + ": " + warning));
  }

  /**
   * Applies a patch; called on the twin thread only. The next {@code $version} is merged; the same one is a
   * duplicate and ignored; a lower one, a higher one that skips versions, or none makes it read the whole twin.
   */
  void applyPatch(ObjectNode patch) {
    long last;
    synchronized (this) {
      if (desired == null) {
        LOG.debug("Module {}: desired patch before the first twin read; the read includes it", identity);
        return;
      }
      last = version;
    }
    JsonNode patchVersion = patch.get(TwinDocument.VERSION);
    if (patchVersion == null || !patchVersion.canConvertToLong()) {
      LOG.warn("Module {}: desired patch without a $version; reading the whole twin", identity);
      reread(TwinReadReason.MISSING_VERSION);
      return;
    }
    long next = patchVersion.asLong();
    if (next == last) {
      LOG.debug("Module {}: ignoring desired patch $version {}, a duplicate of the one applied", identity, next);
    } else if (next < last) {
      LOG.info("Module {}: desired patch $version {} is lower than {}; the twin was reset (e.g. the module identity"
          + " was recreated, iotedge#1493) or the hub delivered an old patch late; reading the whole twin",
          identity, next, last);
      reread(TwinReadReason.LOWER_VERSION);
    } else if (next == last + 1) {
      synchronized (this) {
        mergePatch(desired, strip(patch));
        version = next;
        LOG.debug("Module {}: merged desired patch $version {}", identity, next);
        metrics.setDesiredVersion(moduleId, version);
        if (binding != null) {
          binding.bindAndApply(desired.deepCopy(), version);
        }
      }
    } else {
      LOG.info("Module {}: desired $version jumped from {} to {}; reading the whole twin", identity, last, next);
      reread(TwinReadReason.VERSION_GAP);
    }
  }

  /** Reads the whole twin and binds it when it differs from the cached one; schedules a retry on failure. */
  private void reread(TwinReadReason reason) {
    metrics.twinFullRead(moduleId, reason);
    TwinDocument twin;
    try {
      twin = transport.getTwin();
    } catch (TransportException | RuntimeException e) {
      readFailed(reason, e);
      return;
    }
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    retryBackoff.reset();
    ObjectNode document = twin.desired();
    stripInPlace(document);
    long read = twin.desiredVersion();
    synchronized (this) {
      if (read == version && document.equals(desired)) {
        LOG.debug("Module {}: the whole twin ({}) is unchanged at desired $version {}", identity, reason.label(),
            read);
        return;
      }
      if (read < version) {
        LOG.info("Module {}: the whole twin has desired $version {}, lower than {}; taking it, since the twin was"
            + " reset", identity, read, version);
      }
      desired = document;
      version = read;
      metrics.setDesiredVersion(moduleId, version);
      if (binding != null) {
        binding.bindAndApply(desired.deepCopy(), version);
      }
    }
  }

  private void readFailed(TwinReadReason reason, Exception e) {
    metrics.twinReadFailure(moduleId);
    long kept = version();
    if (retry != null) {
      LOG.warn("Module {}: reading the whole twin ({}) failed: {}; keeping desired $version {}, a retry is already"
          + " scheduled", identity, reason.label(), describe(e), kept);
      return;
    }
    Duration delay = retryBackoff.next();
    try {
      retry = twinThread.schedule(() -> {
        retry = null;
        try {
          reread(reason);
        } catch (RuntimeException unexpected) {
          LOG.error("Module {}: retrying to read the whole twin ({}) failed", identity, reason.label(), unexpected);
        }
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      LOG.debug("Module {}: reading the whole twin ({}) failed while the host stops: {}", identity, reason.label(),
          describe(e));
      return;
    }
    LOG.warn("Module {}: reading the whole twin ({}) failed: {}; keeping desired $version {} and retrying in {} ms",
        identity, reason.label(), describe(e), kept, delay.toMillis());
  }

  /** Returns a copy without the $-keys ($version, $metadata, ...); twin property names cannot hold '$'. */
  static ObjectNode strip(ObjectNode document) {
    ObjectNode copy = document.deepCopy();
    stripInPlace(copy);
    return copy;
  }

  /** Removes the $-keys of a document, at every level, in place. */
  static void stripInPlace(ObjectNode node) {
    node.properties().removeIf(field -> field.getKey().startsWith("$"));
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (field.getValue().isObject()) {
        stripInPlace((ObjectNode) field.getValue());
      }
    }
  }

  /** Applies a JSON merge patch (RFC 7386) to a target in place: null deletes, objects merge, the rest replaces. */
  static void mergePatch(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject()) {
        JsonNode existing = target.get(key);
        ObjectNode merged = existing != null && existing.isObject()
            ? (ObjectNode) existing : target.putObject(key);
        mergePatch(merged, (ObjectNode) value);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private void report(long reportedVersion, Failure failure, List<String> warnings) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode status = patch.putObject(CONFIGURATION_STATUS);
    status.put("version", reportedVersion);
    if (failure == null) {
      status.put("status", "applied");
      status.putNull("error");
    } else {
      status.put("status", "invalid");
      status.put("error", truncate(failure.message));
    }
    if (failure != null || warnings.isEmpty()) {
      status.putNull("warnings");
    } else {
      ArrayNode lines = status.putArray("warnings");
      warnings.stream().limit(MAX_REPORTED_WARNINGS).forEach(w -> lines.add(truncate(w)));
      if (warnings.size() > MAX_REPORTED_WARNINGS) {
        lines.add("... and " + (warnings.size() - MAX_REPORTED_WARNINGS) + " more (see the module's log)");
      }
    }
    try {
      transport.updateReportedProperties(patch);
    } catch (TransportException | RuntimeException e) {
      LOG.warn("Module {}: reporting {} for desired $version {} failed: {}",
          identity, CONFIGURATION_STATUS, reportedVersion, e.getMessage());
    }
  }

  private static String truncate(String text) {
    return text.length() <= MAX_REPORTED_ERROR_CHARS ? text : text.substring(0, MAX_REPORTED_ERROR_CHARS - 3) + "...";
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      message = message + " (at " + path(mapping.getPath()) + ")";
    }
    return message;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private record Failure(String message, Throwable cause) {}

  private final class Binding<T> {
    private final Class<T> type;
    private final UnknownKeys unknownKeys;
    private final DesiredPropertiesListener<T> listener;
    private Long appliedVersion;
    // Set while the listener applies, under the lock: its thread, and the warnings of the document.
    private Thread applying;
    private List<UnknownKeyWarnings.Warning> warnings = new ArrayList<>();

    Binding(Class<T> type, UnknownKeys unknownKeys, DesiredPropertiesListener<T> listener) {
      this.type = type;
      this.unknownKeys = unknownKeys;
      this.listener = listener;
    }

    private T read(ObjectNode document, UnknownKeyWarnings unknown) throws JsonProcessingException {
      if (unknownKeys == UnknownKeys.REFUSE) {
        return CONFIG_MAPPER.treeToValue(document, type);
      }
      return CONFIG_MAPPER.reader()
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .withHandler(unknown)
          .treeToValue(document, type);
    }

    /** Binds, calls the listener, reports the outcome; returns null on success. */
    Failure bindAndApply(ObjectNode document, long documentVersion) {
      Failure failure;
      warnings = new ArrayList<>();
      try {
        UnknownKeyWarnings unknown = new UnknownKeyWarnings();
        T configuration = read(document, unknown);
        warnings.addAll(unknown.warnings());
        if (configuration == null) {
          failure = new Failure("desired properties $version " + documentVersion + " bind to null", null);
        } else {
          applying = Thread.currentThread();
          try {
            listener.apply(configuration, documentVersion);
          } finally {
            applying = null;
          }
          failure = null;
        }
      } catch (JsonProcessingException e) {
        failure = new Failure("desired properties $version " + documentVersion + " do not bind to "
            + type.getSimpleName() + ": " + describe(e), e);
      } catch (Exception e) {
        failure = new Failure("module refused desired properties $version " + documentVersion + ": "
            + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()), e);
      }
      List<String> lines = UnknownKeyWarnings.inDocumentOrder(warnings, document);
      if (failure == null) {
        LOG.info("Module {} applied desired $version {}{}", identity, documentVersion,
            appliedVersion == null ? "" : " (was " + appliedVersion + ")");
        if (!lines.isEmpty()) {
          LOG.warn("Module {}: desired $version {} applied with {} warning(s): {}", identity, documentVersion,
              lines.size(), String.join("; ", lines));
        }
        appliedVersion = documentVersion;
      } else {
        String kept = appliedVersion == null ? "(none applied yet)" : "from $version " + appliedVersion;
        if (failure.cause instanceof JsonProcessingException) {
          LOG.warn("Module {} keeps its configuration {}: {}", identity, kept, failure.message);
        } else {
          LOG.warn("Module {} keeps its configuration {}: {}", identity, kept, failure.message, failure.cause);
        }
      }
      report(documentVersion, failure, lines);
      return failure;
    }
  }
}
