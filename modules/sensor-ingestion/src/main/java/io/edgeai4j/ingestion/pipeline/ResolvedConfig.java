package io.edgeai4j.ingestion.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.config.TwinKeys;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A configuration whose sources have been parsed by their plug-ins and checked together. Immutable.
 *
 * @param config The bound desired properties.
 * @param sources The sources by name.
 */
public record ResolvedConfig(IngestionConfig config, Map<String, ResolvedSource> sources) {
  /**
   * Resolves every source with its plug-in and checks that no sensor comes from two sources.
   *
   * @throws ConfigurationException On the first problem, naming its dotted path.
   */
  public static ResolvedConfig resolve(IngestionConfig config, SourceRegistry registry) throws ConfigurationException {
    Map<String, ResolvedSource> sources = new TreeMap<>();
    Map<String, String> producers = new TreeMap<>();
    for (Map.Entry<String, ObjectNode> entry : config.sources().entrySet()) {
      String name = entry.getKey();
      String path = "sources." + name;
      ObjectNode node = entry.getValue();
      JsonNode type = node.get("type");
      if (type == null || !type.isTextual()) {
        throw new ConfigurationException(path + ".type: expected the source's type, one of: " + registry.describe()
            + "; found " + (type == null ? "nothing" : type.toString()), null);
      }
      SensorSourceProvider provider = registry.provider(type.asText());
      if (provider == null) {
        throw new ConfigurationException(path + ".type: no source plug-in of type '" + type.asText()
            + "'; known types: " + registry.describe(), null);
      }
      ObjectNode settingsNode = node.deepCopy();
      settingsNode.remove("type");
      SourceSettings settings;
      try {
        settings = provider.parse(settingsNode);
      } catch (SourceConfigException e) {
        throw new ConfigurationException(e.under(path).getMessage(), e);
      } catch (RuntimeException e) {
        throw new ConfigurationException(path + ": the " + provider.type() + " plug-in failed to read its settings: "
            + e, e);
      }
      for (String sensor : settings.sensors()) {
        if (!TwinKeys.isValid(sensor)) {
          throw new ConfigurationException(path + ": sensor name '" + sensor + "' " + TwinKeys.RULE, null);
        }
        String other = producers.putIfAbsent(sensor, name);
        if (other != null) {
          throw new ConfigurationException(path + ": sensor '" + sensor + "' is also produced by source '" + other
              + "'; a sensor name must be unique across sources", null);
        }
      }
      sources.put(name, new ResolvedSource(name, provider, settings));
    }
    return new ResolvedConfig(config, Collections.unmodifiableMap(sources));
  }
}
