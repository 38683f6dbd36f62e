package io.edgeai4j.ingestion.source;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A kind of source (OPC UA, Modbus TCP, MQTT, simulator, replay), found with {@link java.util.ServiceLoader}:
 * a plug-in lists its provider in {@code META-INF/services/io.edgeai4j.ingestion.source.SensorSourceProvider}.
 * A source in the module twin names its provider with {@code "type"}. Providers are stateless and
 * thread-safe.
 */
public interface SensorSourceProvider {
  /** The value of {@code "type"} that selects this provider, lower case, e.g. {@code opcua}. */
  String type();

  /** One line for {@code edge doctor} and for errors that list the known types. */
  String description();

  /**
   * Parses and validates a source's settings: the source's object from the twin without its
   * {@code "type"}. Called for every desired patch, before anything changes, so that a bad patch leaves
   * the running configuration alone.
   *
   * @param settings The settings object.
   * @return Immutable settings with value equality.
   * @throws SourceConfigException If a value is missing, unknown or out of range; the message names it.
   */
  SourceSettings parse(ObjectNode settings) throws SourceConfigException;

  /**
   * Creates a source, not yet started.
   *
   * @param settings Settings returned by this provider's {@link #parse}.
   * @param context Where the source sends its readings.
   */
  SensorSource create(SourceSettings settings, SourceContext context);
}
