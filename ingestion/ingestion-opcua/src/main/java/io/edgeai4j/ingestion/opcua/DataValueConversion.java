package io.edgeai4j.ingestion.opcua;

import io.edgeai4j.ingestion.source.Reading;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Turns an OPC UA data value into a {@link Reading}: integers of any width to {@link Long} (a UInt64
 * above {@code Long.MAX_VALUE} to {@link Double}), Float and Double to {@link Double}, Boolean and
 * String as they are, anything else to its text; null when the status is bad. Stateless.
 */
final class DataValueConversion {
  /** Message property with the OPC UA status name, present when the status is not Good. */
  static final String STATUS_PROPERTY = "opcuaStatus";
  /** Message property with the node id the value came from. */
  static final String NODE_ID_PROPERTY = "opcuaNodeId";

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private DataValueConversion() {}

  static Reading toReading(String sensor, String nodeIdText, String unit, DataValue dataValue, Clock clock) {
    StatusCode status = dataValue.getStatusCode() == null ? StatusCode.GOOD : dataValue.getStatusCode();
    Variant variant = dataValue.getValue();
    Object value = status.isBad() || variant == null ? null : convert(variant.getValue());
    Map<String, String> properties = new HashMap<>(4);
    properties.put(NODE_ID_PROPERTY, nodeIdText);
    if (!status.isGood()) {
      properties.put(STATUS_PROPERTY, StatusNames.name(status));
    }
    return new Reading(sensor, timestamp(dataValue, clock), value, unit, properties);
  }

  /** The source timestamp, else the server timestamp, else the clock. */
  static Instant timestamp(DataValue dataValue, Clock clock) {
    Instant source = instant(dataValue.getSourceTime());
    if (source != null) {
      return source;
    }
    Instant server = instant(dataValue.getServerTime());
    return server != null ? server : clock.instant();
  }

  /** The Java value of an OPC UA scalar, as {@link Reading} accepts it. */
  static Object convert(Object value) {
    if (value == null || value instanceof Boolean || value instanceof String || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Float f) {
      return Double.parseDouble(Float.toString(f));
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof UByte
        || value instanceof UShort || value instanceof UInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof ULong u) {
      BigInteger big = new BigInteger(u.toString());
      return big.compareTo(LONG_MAX) <= 0 ? (Object) big.longValue() : (Object) big.doubleValue();
    }
    if (value instanceof LocalizedText text) {
      return text.getText();
    }
    if (value instanceof DateTime time) {
      return time.getJavaInstant().toString();
    }
    if (value instanceof Object[] array) {
      return Arrays.deepToString(array);
    }
    return value.toString();
  }

  private static Instant instant(DateTime time) {
    if (time == null || time.isNull() || !time.isValid()) {
      return null;
    }
    return time.getJavaInstant();
  }
}
