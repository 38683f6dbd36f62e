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
    return "OPC UA client subscriptions (Eclipse Milo), security None, Basic256Sha256, Aes128_Sha256_RsaOaep or"
        + " Aes256_Sha256_RsaPss";
  }

  @Override
  public OpcUaSettings parse(ObjectNode settings) throws SourceConfigException {
    Objects.requireNonNull(settings, "settings");
    return SettingsBinder.bind(settings, OpcUaSettings.class);
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
