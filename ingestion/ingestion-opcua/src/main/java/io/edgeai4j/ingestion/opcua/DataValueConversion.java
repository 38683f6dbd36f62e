package io.edgeai4j.ingestion.opcua;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
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
 * String as they are, anything else to its text; null when the status is bad. A one-dimensional
 * numeric array becomes a {@link SampleBlock} instead (see {@link #convert}). Stateless.
 */
final class DataValueConversion {
  /** Message property with the OPC UA status name, present when the status is not Good. */
  static final String STATUS_PROPERTY = "opcuaStatus";
  /** Message property with the node id the value came from. */
  static final String NODE_ID_PROPERTY = "opcuaNodeId";

  /** Message property with why the value is null: an array that cannot become a block. */
  static final String ERROR_PROPERTY = "opcuaError";
  /**
   * Message property of an array's block: which time its start is, {@code source} (the value's source
   * timestamp), {@code server} (the server timestamp, when there is no source timestamp) or
   * {@code received} (the module's clock, when there is neither).
   */
  static final String TIMESTAMP_SOURCE_PROPERTY = "opcuaTimestampSource";

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private DataValueConversion() {}

  /** A data change as the source passes it on: exactly one of the two is non-null. */
  record Converted(Reading reading, SampleBlock block) {}

  /**
   * Converts one data change. A good or uncertain one-dimensional numeric array becomes a block: its
   * samples in order, {@code values[0]} at the value's timestamp (source, else server, else the clock;
   * {@value #TIMESTAMP_SOURCE_PROPERTY} says which), spaced by the sensor's configured sample rate. An
   * array that cannot become a block (no configured rate, empty, multidimensional, a null or
   * non-numeric element) becomes a reading with a null value and the reason in {@value #ERROR_PROPERTY},
   * which validation dead-letters. Any other value becomes a reading as {@link #toReading} makes it.
   *
   * @param sampleRate The sensor's configured sample rate; asked only for an array.
   */
  static Converted convert(String sensor, String nodeIdText, String unit, DataValue dataValue, Clock clock,
      Supplier<OptionalDouble> sampleRate) {
    StatusCode status = dataValue.getStatusCode() == null ? StatusCode.GOOD : dataValue.getStatusCode();
    Object value = dataValue.getValue() == null ? null : dataValue.getValue().getValue();
    if (status.isBad() || !OpcUaArrays.isArray(value)) {
      return new Converted(toReading(sensor, nodeIdText, unit, dataValue, clock), null);
    }
    Map<String, String> properties = new HashMap<>(8);
    properties.put(NODE_ID_PROPERTY, nodeIdText);
    if (!status.isGood()) {
      properties.put(STATUS_PROPERTY, StatusNames.name(status));
    }
    Instant start = instant(dataValue.getSourceTime());
    String which = "source";
    if (start == null) {
      start = instant(dataValue.getServerTime());
      which = "server";
    }
    if (start == null) {
      start = clock.instant();
      which = "received";
    }
    properties.put(TIMESTAMP_SOURCE_PROPERTY, which);
    OpcUaArrays.Samples samples = OpcUaArrays.samples(value);
    String error = samples.error();
    OptionalDouble rate = error == null ? sampleRate.get() : OptionalDouble.empty();
    if (error == null && rate.isEmpty()) {
      error = "an array of " + samples.values().length + " samples needs a sample rate to become a block;"
          + " set sensors." + sensor + ".sampleRateHz in the module twin";
    }
    if (error != null) {
      properties.put(ERROR_PROPERTY, error);
      return new Converted(new Reading(sensor, start, null, unit, properties), null);
    }
    return new Converted(null, new SampleBlock(sensor, start, rate.getAsDouble(), samples.values(), unit,
        properties));
  }

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
