package io.edgeai4j.ingestion.modbus;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One read request of a poll: a contiguous run of addresses in one table, and the points it serves.
 * Immutable.
 *
 * @param table The table read.
 * @param address The first address read.
 * @param quantity How many registers or bits are read (at most the table's per-request limit).
 * @param points The points inside the run, by address.
 */
record ReadRequest(Table table, int address, int quantity, List<NamedPoint> points) {
  /** A point with its sensor name. */
  record NamedPoint(String sensor, ModbusPoint point) {}

  ReadRequest {
    points = List.copyOf(points);
    if (quantity < 1 || quantity > table.maxPerRequest()) {
      throw new IllegalArgumentException("a " + table + " request reads 1 to " + table.maxPerRequest()
          + " addresses, found " + quantity);
    }
  }

  /** The last address read. */
  int lastAddress() {
    return address + quantity - 1;
  }

  /** E.g. {@code holdingRegister 0-10 (flow, pressure)}, for state details and logs. */
  String describe() {
    String range = quantity == 1 ? String.valueOf(address) : address + "-" + lastAddress();
    return table + " " + range + " (" + points.stream().map(NamedPoint::sensor).collect(Collectors.joining(", "))
        + ")";
  }
}
