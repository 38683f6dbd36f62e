package io.edgeai4j.ingestion.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.config.TwinKeys;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceSettings;
import io.edgeai4j.module.UnknownKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration whose sources have been parsed by their plug-ins and checked together. Immutable.
 *
 * <p>A source's settings are twin content too, so they follow the module's {@link UnknownKeys} rule: under
 * {@link UnknownKeys#WARN} a key the plug-in does not know is removed and the settings parsed again, and the key
 * is listed in {@code ignored}; under {@link UnknownKeys#REFUSE} it is an error, as the plug-in reports it.
 *
 * @param config The bound desired properties.
 * @param sources The sources by name.
 * @param ignored The keys in source settings that were ignored: JSON pointer in the desired properties (e.g.
 *     {@code /sources/line1/sped}) to the warning ({@code unknown key, ignored; did you mean 'speed'?}), by
 *     source name, then in the order the plug-in met them.
 */
public record ResolvedConfig(IngestionConfig config, Map<String, ResolvedSource> sources,
    Map<String, String> ignored) {
  /** Copies. */
  public ResolvedConfig {
    sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    ignored = Collections.unmodifiableMap(new LinkedHashMap<>(ignored));
  }

  private static final Pattern SEGMENT = Pattern.compile("([^\\[]+)((?:\\[\\d+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  /**
   * Resolves every source with its plug-in and checks that no sensor comes from two sources.
   *
   * @param unknownKeys What an unknown key in a source's settings does.
   * @throws ConfigurationException On the first problem, naming its dotted path.
   */
  public static ResolvedConfig resolve(IngestionConfig config, SourceRegistry registry, UnknownKeys unknownKeys)
      throws ConfigurationException {
    Map<String, String> ignored = new LinkedHashMap<>();
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
      SourceSettings settings = null;
      while (settings == null) {
        try {
          settings = provider.parse(settingsNode);
        } catch (SourceConfigException e) {
          UnrecognizedPropertyException unknown = unknownKey(e);
          String pointer = unknown == null || unknownKeys != UnknownKeys.WARN ? null
              : remove(settingsNode, e.path(), unknown.getPropertyName());
          if (pointer == null) {
            throw new ConfigurationException(e.under(path).getMessage(), e);
          }
          ignored.put("/sources/" + escape(name) + pointer,
              UnknownKeys.ignored(unknown.getPropertyName(), unknown.getKnownPropertyIds()));
        } catch (RuntimeException e) {
          throw new ConfigurationException(path + ": the " + provider.type() + " plug-in failed to read its settings: "
              + e, e);
        }
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
    return new ResolvedConfig(config, sources, ignored);
  }

  /** The unknown-field error of the settings binder behind a plug-in's error, or null. */
  private static UnrecognizedPropertyException unknownKey(SourceConfigException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof UnrecognizedPropertyException unknown) {
        return unknown;
      }
    }
    return null;
  }

  /**
   * Removes the key at a dotted path ({@code nodes.spindle.unit}, {@code registers[2].scal}) from the settings;
   * returns its JSON pointer within them, or null when the path does not lead to the key {@code key} (then the
   * error stands: nothing is removed that the plug-in did not name).
   */
  private static String remove(ObjectNode settings, String dottedPath, String key) {
    List<String> segments = new ArrayList<>();
    for (String part : dottedPath.split("\\.", -1)) {
      Matcher m = SEGMENT.matcher(part);
      if (!m.matches()) {
        return null;
      }
      segments.add(m.group(1));
      Matcher index = INDEX.matcher(m.group(2));
      while (index.find()) {
        segments.add("[" + index.group(1));
      }
    }
    JsonNode node = settings;
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (segment.startsWith("[")) {
        int at = Integer.parseInt(segment.substring(1));
        if (last || !node.isArray() || at >= node.size()) {
          return null;
        }
        node = node.get(at);
        pointer.append('/').append(at);
      } else {
        if (!node.isObject() || !node.has(segment) || last && !segment.equals(key)) {
          return null;
        }
        pointer.append('/').append(escape(segment));
        if (last) {
          ((ObjectNode) node).remove(segment);
          return pointer.toString();
        }
        node = node.get(segment);
      }
    }
    return null;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
