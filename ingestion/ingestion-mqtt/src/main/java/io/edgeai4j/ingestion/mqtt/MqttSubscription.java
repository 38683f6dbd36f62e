package io.edgeai4j.ingestion.mqtt;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.core.JsonPointer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * One topic filter and the sensors mapped from the JSON messages published on it. Immutable;
 * thread-safe.
 *
 * @param topic An MQTT topic filter; {@code +} matches one level and {@code #} the rest.
 * @param fields The sensors, keyed by sensor name, in the order their readings are emitted. A name may
 *     hold {@code {topic[N]}} placeholders for topic level N (from 0), see {@link SensorNameTemplate}.
 * @param timestampPath A JSON Pointer to the time the device sampled the values: an ISO-8601 string
 *     ({@code 2024-05-01T10:00:00.250Z}, offsets allowed) or a number of milliseconds since the epoch;
 *     null to stamp readings with their arrival time.
 */
public record MqttSubscription(String topic, Map<String, FieldMapping> fields, JsonPointer timestampPath) {
  /** Validates and copies, keeping the order of {@code fields}. */
  public MqttSubscription {
    if (topic == null || topic.isEmpty()) {
      throw new InvalidSettingException("topic", "is missing; expected a topic filter such as \"sensors/+/telemetry\"");
    }
    try {
      MqttTopic.validate(topic, true);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("topic", "\"" + topic + "\" is not a valid MQTT topic filter (" + e.getMessage()
          + "); expected levels separated by /, with + for one whole level and # only as the last level");
    }
    if (fields == null || fields.isEmpty()) {
      throw new InvalidSettingException("fields", "is missing or empty; expected at least one sensor, e.g."
          + " {\"temp\": {\"path\": \"/temp\"}}");
    }
    for (Map.Entry<String, FieldMapping> field : fields.entrySet()) {
      if (field.getValue() == null) {
        throw new InvalidSettingException("fields." + field.getKey(), "is null; expected an object such as {\"path\": \"/temp\"}");
      }
      try {
        SensorNameTemplate.parse(field.getKey(), topic);
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException("fields." + field.getKey(), e.getMessage());
      }
    }
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The sensor names, parsed, in the order of {@link #fields}. */
  List<SensorNameTemplate> sensorNames() {
    return fields.keySet().stream().map(name -> SensorNameTemplate.parse(name, topic)).toList();
  }
}
