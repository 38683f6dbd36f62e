package io.edgeai4j.module.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DesiredPropertiesListener;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.metrics.FrameworkMetrics.TwinReadReason;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TwinDocument;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's copy of a module's desired properties, and the binding of them to the module's configuration
 * type. Patches are applied on the host's twin thread; {@link #bind} runs on the module's start thread.
 * Both hold this object's lock, so listeners are never called concurrently. Thread-safe.
 */
final class DesiredProperties {
  /** The reported property the binding outcome is written to. */
  static final String CONFIGURATION_STATUS = "configurationStatus";

  private static final Logger LOG = LoggerFactory.getLogger(DesiredProperties.class);
  private static final int MAX_REPORTED_ERROR_CHARS = 1024;
  private static final ObjectMapper CONFIG_MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private final ModuleTransport transport;
  private final FrameworkMetrics metrics;
  private final ModuleIdentity identity;
  private final String moduleId;

  // Guarded by this.
  private ObjectNode desired;
  private long version;
  private Binding<?> binding;

  DesiredProperties(ModuleTransport transport, FrameworkMetrics metrics, ModuleIdentity identity) {
    this.transport = transport;
    this.metrics = metrics;
    this.identity = identity;
    this.moduleId = identity.moduleId();
  }

  /** Reads the whole twin at start; called on the twin thread, before any patch is applied. */
  void readAtStart() throws TransportException {
    metrics.twinFullRead(moduleId, TwinReadReason.START);
    TwinDocument twin = transport.getTwin();
    synchronized (this) {
      desired = strip(twin.desired());
      version = twin.desiredVersion();
    }
    metrics.setDesiredVersion(moduleId, twin.desiredVersion());
    LOG.info("Module {} read its twin: desired $version {}", identity, twin.desiredVersion());
  }

  /** Returns the desired $version last read or merged. */
  synchronized long version() {
    return version;
  }

  /**
   * Binds the current document and calls the listener; keeps the binding for later patches even when this
   * first bind fails, so that a corrected document is applied when it arrives.
   */
  synchronized <T> void bind(Class<T> type, DesiredPropertiesListener<T> listener)
      throws DesiredPropertiesException {
    if (binding != null) {
      throw new IllegalStateException("The desired properties of module " + identity + " are already bound to "
          + binding.type.getName() + "; bind them once, to one configuration type");
    }
    if (desired == null) {
      throw new IllegalStateException("The twin of module " + identity + " has not been read yet");
    }
    Binding<T> b = new Binding<>(type, listener);
    binding = b;
    Failure failure = b.bindAndApply(desired.deepCopy(), version);
    if (failure != null) {
      throw new DesiredPropertiesException(failure.message, failure.cause);
    }
  }

  /** Applies a patch; called on the twin thread only. */
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
      if (!reread(TwinReadReason.MISSING_VERSION)) {
        return;
      }
    } else if (patchVersion.asLong() <= last) {
      LOG.debug("Module {}: ignoring desired patch $version {}, already at {}", identity, patchVersion.asLong(), last);
      return;
    } else if (patchVersion.asLong() == last + 1) {
      synchronized (this) {
        mergePatch(desired, strip(patch));
        version = patchVersion.asLong();
      }
      LOG.debug("Module {}: merged desired patch $version {}", identity, patchVersion.asLong());
    } else {
      LOG.info("Module {}: desired $version jumped from {} to {}; reading the whole twin",
          identity, last, patchVersion.asLong());
      if (!reread(TwinReadReason.VERSION_GAP)) {
        return;
      }
    }
    synchronized (this) {
      metrics.setDesiredVersion(moduleId, version);
      if (binding != null) {
        binding.bindAndApply(desired.deepCopy(), version);
      }
    }
  }

  private boolean reread(TwinReadReason reason) {
    metrics.twinFullRead(moduleId, reason);
    TwinDocument twin;
    try {
      twin = transport.getTwin();
    } catch (TransportException | RuntimeException e) {
      LOG.warn("Module {}: reading the whole twin failed ({}); keeping desired $version {} until the next patch",
          identity, e.getMessage(), version());
      return false;
    }
    synchronized (this) {
      if (twin.desiredVersion() < version) {
        LOG.warn("Module {}: the twin read has desired $version {}, older than {}; keeping {}",
            identity, twin.desiredVersion(), version, version);
        return false;
      }
      desired = strip(twin.desired());
      version = twin.desiredVersion();
    }
    return true;
  }

  /** Returns a copy without the $-keys ($version, $metadata, ...); twin property names cannot hold '$'. */
  static ObjectNode strip(ObjectNode document) {
    ObjectNode copy = document.deepCopy();
    stripInPlace(copy);
    return copy;
  }

  private static void stripInPlace(ObjectNode node) {
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

  private void report(long reportedVersion, Failure failure) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode status = patch.putObject(CONFIGURATION_STATUS);
    status.put("version", reportedVersion);
    if (failure == null) {
      status.put("status", "applied");
      status.putNull("error");
    } else {
      status.put("status", "invalid");
      String error = failure.message;
      status.put("error", error.length() <= MAX_REPORTED_ERROR_CHARS
          ? error : error.substring(0, MAX_REPORTED_ERROR_CHARS - 3) + "...");
    }
    try {
      transport.updateReportedProperties(patch);
    } catch (TransportException | RuntimeException e) {
      LOG.warn("Module {}: reporting {} for desired $version {} failed: {}",
          identity, CONFIGURATION_STATUS, reportedVersion, e.getMessage());
    }
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
    private final DesiredPropertiesListener<T> listener;
    private Long appliedVersion;

    Binding(Class<T> type, DesiredPropertiesListener<T> listener) {
      this.type = type;
      this.listener = listener;
    }

    /** Binds, calls the listener, reports the outcome; returns null on success. */
    Failure bindAndApply(ObjectNode document, long documentVersion) {
      Failure failure;
      try {
        T configuration = CONFIG_MAPPER.treeToValue(document, type);
        if (configuration == null) {
          failure = new Failure("desired properties $version " + documentVersion + " bind to null", null);
        } else {
          listener.apply(configuration, documentVersion);
          failure = null;
        }
      } catch (JsonProcessingException e) {
        failure = new Failure("desired properties $version " + documentVersion + " do not bind to "
            + type.getSimpleName() + ": " + describe(e), e);
      } catch (Exception e) {
        failure = new Failure("module refused desired properties $version " + documentVersion + ": "
            + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()), e);
      }
      if (failure == null) {
        LOG.info("Module {} applied desired $version {}{}", identity, documentVersion,
            appliedVersion == null ? "" : " (was " + appliedVersion + ")");
        appliedVersion = documentVersion;
      } else {
        String kept = appliedVersion == null ? "(none applied yet)" : "from $version " + appliedVersion;
        if (failure.cause instanceof JsonProcessingException) {
          LOG.warn("Module {} keeps its configuration {}: {}", identity, kept, failure.message);
        } else {
          LOG.warn("Module {} keeps its configuration {}: {}", identity, kept, failure.message, failure.cause);
        }
      }
      report(documentVersion, failure);
      return failure;
    }
  }
}
