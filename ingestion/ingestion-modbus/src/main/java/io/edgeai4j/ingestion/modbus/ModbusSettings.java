package io.edgeai4j.ingestion.modbus;

import io.edgeai4j.ingestion.source.SourceSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validated settings of one Modbus TCP source. Immutable, with value equality; built by
 * {@link ModbusSourceProvider#parse} from the twin (where durations are {@code ...Millis} numbers).
 *
 * @param host The device's host name or IP address.
 * @param port The device's TCP port (1–65535; Modbus TCP's default is 502).
 * @param unitId The unit (slave) id sent with every request (0–255); matters behind gateways.
 * @param pollInterval The time from the start of one poll to the start of the next (10 ms to 1 day).
 * @param timeout The connect timeout and the timeout of each request (100 ms to 1 min).
 * @param maxGap The most unused addresses one read request may span to merge two points of a table
 *     (0–100); 0 merges only adjacent points.
 * @param points The points keyed by sensor name, sorted by name; at least one.
 */
public record ModbusSettings(String host, int port, int unitId, Duration pollInterval, Duration timeout, int maxGap,
    Map<String, ModbusPoint> points) implements SourceSettings {

  /** The default TCP port of Modbus TCP. */
  public static final int DEFAULT_PORT = 502;
  /** The default unit id. */
  public static final int DEFAULT_UNIT_ID = 1;
  /** The default poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** The default connect and request timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** The default largest gap a request spans: merge when the gap is under 16 addresses. */
  public static final int DEFAULT_MAX_GAP = 15;

  static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);
  static final Duration MAX_POLL_INTERVAL = Duration.ofDays(1);
  static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  static final int MAX_MAX_GAP = 100;

  /** Validates and copies. */
  public ModbusSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be a host name or IP address, found " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, found " + port);
    }
    if (unitId < 0 || unitId > 255) {
      throw new IllegalArgumentException("unitId must be from 0 to 255, found " + unitId);
    }
    requireWithin("pollInterval", pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
    requireWithin("timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
    if (maxGap < 0 || maxGap > MAX_MAX_GAP) {
      throw new IllegalArgumentException("maxGap must be from 0 to " + MAX_MAX_GAP + ", found " + maxGap);
    }
    Objects.requireNonNull(points, "points");
    if (points.isEmpty()) {
      throw new IllegalArgumentException("points must name at least one point");
    }
    points.forEach((name, point) -> {
      Objects.requireNonNull(name, "point name");
      Objects.requireNonNull(point, () -> "point " + name);
    });
    points = Collections.unmodifiableMap(new TreeMap<>(points));
  }

  @Override
  public Set<String> sensors() {
    return points.keySet();
  }

  /** {@code host:port}, as errors name the device. */
  public String endpoint() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static void requireWithin(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be from " + min.toMillis() + " to " + max.toMillis()
          + " ms, found " + value.toMillis() + " ms");
    }
  }
}
