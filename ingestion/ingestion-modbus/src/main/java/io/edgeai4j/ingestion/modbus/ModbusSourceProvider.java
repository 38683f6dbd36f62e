package io.edgeai4j.ingestion.modbus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceSettings;

/**
 * The Modbus TCP source plug-in, {@code "type": "modbus"}: parses {@link ModbusSettings} and creates
 * {@link ModbusSource}s. Stateless and thread-safe; found with {@link java.util.ServiceLoader}.
 */
public final class ModbusSourceProvider implements SensorSourceProvider {
  /** The provider's type name. */
  public static final String TYPE = "modbus";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Modbus TCP: polls holding/input registers, coils and discrete inputs (digitalpetri modbus)";
  }

  @Override
  public ModbusSettings parse(ObjectNode settings) throws SourceConfigException {
    return SettingsParser.parse(settings);
  }

  @Override
  public SensorSource create(SourceSettings settings, SourceContext context) {
    if (!(settings instanceof ModbusSettings modbusSettings)) {
      throw new IllegalArgumentException("a modbus source needs ModbusSettings, found "
          + (settings == null ? "null" : settings.getClass().getName()));
    }
    return new ModbusSource(modbusSettings, context);
  }
}
