package io.edgeai4j.ingestion.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a source's settings object from the twin into {@link ModbusSettings}, checking each field so
 * that an error names its dotted path (e.g. {@code points.flow.dataType}), what was found and what was
 * expected. Stateless.
 */
final class SettingsParser {
  /** The settings object as the twin carries it; absent fields are null. */
  record Json(String host, Integer port, Integer unitId, Long pollIntervalMillis, Long timeoutMillis, Integer maxGap,
      Map<String, PointJson> points) {}

  /** One point as the twin carries it; absent fields are null. */
  record PointJson(String table, Integer address, String dataType, String wordOrder, String byteOrder, String order,
      Double scale, Double offset, String unit) {}

  private SettingsParser() {}

  static ModbusSettings parse(ObjectNode settings) throws SourceConfigException {
    requireNumbers(settings);
    Json json = SettingsBinder.bind(settings, Json.class);
    if (json.host() == null || json.host().isBlank()) {
      throw new SourceConfigException("host", "missing; expected the device's host name or IP address");
    }
    int port = within("port", json.port(), ModbusSettings.DEFAULT_PORT, 1, 65535);
    int unitId = within("unitId", json.unitId(), ModbusSettings.DEFAULT_UNIT_ID, 0, 255);
    Duration pollInterval = millis("pollIntervalMillis", json.pollIntervalMillis(),
        ModbusSettings.DEFAULT_POLL_INTERVAL, ModbusSettings.MIN_POLL_INTERVAL, ModbusSettings.MAX_POLL_INTERVAL);
    Duration timeout = millis("timeoutMillis", json.timeoutMillis(), ModbusSettings.DEFAULT_TIMEOUT,
        ModbusSettings.MIN_TIMEOUT, ModbusSettings.MAX_TIMEOUT);
    int maxGap = within("maxGap", json.maxGap(), ModbusSettings.DEFAULT_MAX_GAP, 0, ModbusSettings.MAX_MAX_GAP);
    if (json.points() == null || json.points().isEmpty()) {
      throw new SourceConfigException("points",
          "missing or empty; expected an object keyed by sensor name, e.g. {\"flow\": {\"table\": \"holdingRegister\", "
              + "\"address\": 0, \"dataType\": \"float32\"}}");
    }
    Map<String, ModbusPoint> points = new LinkedHashMap<>();
    for (Map.Entry<String, PointJson> entry : json.points().entrySet()) {
      String path = "points." + entry.getKey();
      if (entry.getKey().isBlank()) {
        throw new SourceConfigException(path, "a sensor name must not be blank");
      }
      points.put(entry.getKey(), point(path, entry.getValue()));
    }
    try {
      return new ModbusSettings(json.host().strip(), port, unitId, pollInterval, timeout, maxGap, points);
    } catch (IllegalArgumentException e) {
      throw new SourceConfigException("", e.getMessage());
    }
  }

  private static ModbusPoint point(String path, PointJson json) throws SourceConfigException {
    if (json == null) {
      throw new SourceConfigException(path, "found null; expected an object with at least table and address");
    }
    if (json.table() == null) {
      throw new SourceConfigException(path + ".table", "missing; expected one of " + Table.settingNames());
    }
    Table table = Table.fromSettingName(json.table()).orElseThrow(() -> new SourceConfigException(path + ".table",
        "unknown table '" + json.table() + "'; expected one of " + Table.settingNames()));
    DataType dataType = dataType(path, table, json.dataType());
    if (json.address() == null) {
      throw new SourceConfigException(path + ".address", "missing; expected the 0-based protocol address "
          + "(e.g. 0 for the register documented as 40001)");
    }
    int address = json.address();
    if (address < 0 || address + ModbusPoint.width(dataType) - 1 > 0xFFFF) {
      throw new SourceConfigException(path + ".address", ModbusPoint.addressRange(address, dataType));
    }
    Endianness[] orders = orders(path, json, dataType);
    double scale = json.scale() == null ? 1 : json.scale();
    double offset = json.offset() == null ? 0 : json.offset();
    if (dataType.isBit() && (json.scale() != null || json.offset() != null)) {
      throw new SourceConfigException(path + (json.scale() != null ? ".scale" : ".offset"),
          "does not apply to bool values of table " + table + "; remove it");
    }
    if (!Double.isFinite(scale) || scale == 0) {
      throw new SourceConfigException(path + ".scale", "expected a finite number other than 0, found " + scale);
    }
    if (!Double.isFinite(offset)) {
      throw new SourceConfigException(path + ".offset", "expected a finite number, found " + offset);
    }
    String unit = json.unit() == null || json.unit().isBlank() ? null : json.unit().strip();
    try {
      return new ModbusPoint(table, address, dataType, orders[0], orders[1], scale, offset, unit);
    } catch (IllegalArgumentException e) {
      throw new SourceConfigException(path, e.getMessage());
    }
  }

  private static DataType dataType(String path, Table table, String name) throws SourceConfigException {
    if (name == null) {
      return table.holdsBits() ? DataType.BOOL : DataType.UINT16;
    }
    DataType dataType = DataType.fromSettingName(name).orElseThrow(() -> new SourceConfigException(
        path + ".dataType", "unknown data type '" + name + "'; expected one of " + DataType.settingNames()));
    if (table.holdsBits() != dataType.isBit()) {
      throw new SourceConfigException(path + ".dataType", ModbusPoint.mismatch(table, dataType));
    }
    return dataType;
  }

  /** The word and byte order, from {@code order} or from {@code wordOrder} and {@code byteOrder}. */
  private static Endianness[] orders(String path, PointJson json, DataType dataType) throws SourceConfigException {
    if (dataType.isBit()) {
      for (String[] field : new String[][] {{"order", json.order()}, {"wordOrder", json.wordOrder()},
          {"byteOrder", json.byteOrder()}}) {
        if (field[1] != null) {
          throw new SourceConfigException(path + "." + field[0], "does not apply to bool values; remove it");
        }
      }
      return new Endianness[] {Endianness.BIG, Endianness.BIG};
    }
    if (json.order() != null) {
      if (json.wordOrder() != null || json.byteOrder() != null) {
        throw new SourceConfigException(path + ".order",
            "give either order or wordOrder/byteOrder, not both (order " + json.order() + " sets both)");
      }
      return ByteLayout.fromName(json.order(), dataType).map(l -> new Endianness[] {l.wordOrder(), l.byteOrder()})
          .orElseThrow(() -> new SourceConfigException(path + ".order", "unknown order '" + json.order()
              + "' for " + dataType + "; expected one of " + ByteLayout.namesFor(dataType)));
    }
    if (json.wordOrder() != null && !dataType.isTwoWords()) {
      throw new SourceConfigException(path + ".wordOrder",
          "applies to 32-bit types only, but dataType is " + dataType + "; remove it or use byteOrder");
    }
    return new Endianness[] {endianness(path + ".wordOrder", json.wordOrder()),
        endianness(path + ".byteOrder", json.byteOrder())};
  }

  private static Endianness endianness(String path, String name) throws SourceConfigException {
    if (name == null) {
      return Endianness.BIG;
    }
    return Endianness.fromSettingName(name).orElseThrow(() -> new SourceConfigException(path,
        "unknown order '" + name + "'; expected bigEndian or littleEndian"));
  }

  /**
   * Jackson would bind {@code 502.7} to 502 and {@code "502"} to 502; a number field must be a JSON
   * number, and a whole one where the setting counts something.
   */
  private static void requireNumbers(ObjectNode settings) throws SourceConfigException {
    for (String field : List.of("port", "unitId", "pollIntervalMillis", "timeoutMillis", "maxGap")) {
      requireNumber(field, settings.get(field), true);
    }
    if (settings.get("points") instanceof ObjectNode points) {
      for (Map.Entry<String, JsonNode> point : points.properties()) {
        String path = "points." + point.getKey();
        requireNumber(path + ".address", point.getValue().get("address"), true);
        requireNumber(path + ".scale", point.getValue().get("scale"), false);
        requireNumber(path + ".offset", point.getValue().get("offset"), false);
      }
    }
  }

  private static void requireNumber(String path, JsonNode value, boolean whole) throws SourceConfigException {
    if (value == null || value.isNull()) {
      return;
    }
    if (whole ? !value.isIntegralNumber() : !value.isNumber()) {
      throw new SourceConfigException(path, "expected " + (whole ? "a whole number" : "a number") + ", found "
          + value);
    }
  }

  private static int within(String path, Integer value, int defaultValue, int min, int max)
      throws SourceConfigException {
    int result = value == null ? defaultValue : value;
    if (result < min || result > max) {
      throw new SourceConfigException(path, "expected " + min + " to " + max + ", found " + result);
    }
    return result;
  }

  private static Duration millis(String path, Long value, Duration defaultValue, Duration min, Duration max)
      throws SourceConfigException {
    Duration result = value == null ? defaultValue : Duration.ofMillis(value);
    if (result.compareTo(min) < 0 || result.compareTo(max) > 0) {
      throw new SourceConfigException(path, "expected " + min.toMillis() + " to " + max.toMillis()
          + " milliseconds, found " + result.toMillis());
    }
    return result;
  }
}
