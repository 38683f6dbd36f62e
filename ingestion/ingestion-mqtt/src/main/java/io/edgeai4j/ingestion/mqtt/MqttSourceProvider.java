package io.edgeai4j.ingestion.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceSettings;

/**
 * The {@code "mqtt"} source type: subscribes to MQTT topics where devices publish JSON and maps JSON
 * fields to sensors (see {@link MqttSourceSettings}). Found with {@link java.util.ServiceLoader}.
 * Stateless; thread-safe.
 */
public final class MqttSourceProvider implements SensorSourceProvider {
  /** The value of {@code "type"} that selects this provider. */
  public static final String TYPE = "mqtt";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "MQTT 3.1.1 subscriber (Eclipse Paho): JSON messages mapped to sensors with JSON Pointers";
  }

  @Override
  public MqttSourceSettings parse(ObjectNode settings) throws SourceConfigException {
    return SettingsBinder.bind(settings, MqttSourceSettings.class);
  }

  /**
   * Creates a source, not yet started; the caller owns it and closes it.
   *
   * @throws IllegalArgumentException If {@code settings} did not come from this provider.
   */
  @Override
  public SensorSource create(SourceSettings settings, SourceContext context) {
    if (!(settings instanceof MqttSourceSettings mqtt)) {
      throw new IllegalArgumentException("the mqtt provider needs MqttSourceSettings, found "
          + (settings == null ? null : settings.getClass().getName()));
    }
    String clientId = mqtt.clientId() != null ? mqtt.clientId()
        : MqttSource.defaultClientId(context.sourceName(), System.getenv());
    return new MqttSource(mqtt, context, clientId);
  }
}
