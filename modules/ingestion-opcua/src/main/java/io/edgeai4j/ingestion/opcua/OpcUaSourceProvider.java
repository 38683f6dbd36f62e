package io.edgeai4j.ingestion.opcua;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.util.Objects;

/**
 * The {@code "opcua"} source type: subscribes to OPC UA nodes with Eclipse Milo. Stateless and
 * thread-safe; found through {@link java.util.ServiceLoader}.
 */
public final class OpcUaSourceProvider implements SensorSourceProvider {
  /** The value of {@code "type"} that selects this provider. */
  public static final String TYPE = "opcua";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "OPC UA client subscriptions (Eclipse Milo), security None or Basic256Sha256";
  }

  @Override
  public OpcUaSettings parse(ObjectNode settings) throws SourceConfigException {
    Objects.requireNonNull(settings, "settings");
    try {
      return SettingsBinder.bind(settings, OpcUaSettings.class);
    } catch (SourceConfigException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof InvalidSettingException invalid) {
          String path = e.path().isEmpty() ? invalid.path() : e.path() + "." + invalid.path();
          SourceConfigException precise = new SourceConfigException(path, invalid.reason());
          precise.initCause(e);
          throw precise;
        }
      }
      throw e;
    }
  }

  @Override
  public SensorSource create(SourceSettings settings, SourceContext context) {
    if (!(settings instanceof OpcUaSettings opcUaSettings)) {
      throw new IllegalArgumentException("expected settings parsed by the opcua provider, found "
          + (settings == null ? "null" : settings.getClass().getName()));
    }
    return new OpcUaSource(opcUaSettings, Objects.requireNonNull(context, "context"));
  }
}
