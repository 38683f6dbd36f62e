package io.edgeai4j.ingestion.modbus;

import io.edgeai4j.ingestion.modbus.ReadRequest.NamedPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Groups points into as few read requests as the protocol allows: points of one table are read
 * together when the run of addresses stays within the table's per-request limit (125 registers, 2000
 * bits) and the unused addresses between two neighbouring points number at most {@code maxGap}. A
 * point is never split between requests. Stateless.
 */
final class RequestPlanner {
  private RequestPlanner() {}

  /**
   * Plans the requests of one poll.
   *
   * @param points The points, keyed by sensor name.
   * @param maxGap The most unused addresses a request may span between two points.
   * @return The requests, by table and address.
   */
  static List<ReadRequest> plan(Map<String, ModbusPoint> points, int maxGap) {
    List<NamedPoint> sorted = points.entrySet().stream()
        .map(e -> new NamedPoint(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing((NamedPoint p) -> p.point().table())
            .thenComparingInt(p -> p.point().address())
            .thenComparingInt(p -> p.point().lastAddress())
            .thenComparing(NamedPoint::sensor))
        .toList();
    List<ReadRequest> requests = new ArrayList<>();
    List<NamedPoint> group = new ArrayList<>();
    for (NamedPoint next : sorted) {
      if (!group.isEmpty() && !fits(group, next.point(), maxGap)) {
        requests.add(request(group));
        group = new ArrayList<>();
      }
      group.add(next);
    }
    if (!group.isEmpty()) {
      requests.add(request(group));
    }
    return List.copyOf(requests);
  }

  private static boolean fits(List<NamedPoint> group, ModbusPoint next, int maxGap) {
    ModbusPoint first = group.get(0).point();
    if (first.table() != next.table()) {
      return false;
    }
    int last = lastAddress(group);
    int gap = next.address() - last - 1;
    int quantity = Math.max(last, next.lastAddress()) - first.address() + 1;
    return gap <= maxGap && quantity <= next.table().maxPerRequest();
  }

  private static int lastAddress(List<NamedPoint> group) {
    return group.stream().mapToInt(p -> p.point().lastAddress()).max().orElseThrow();
  }

  private static ReadRequest request(List<NamedPoint> group) {
    ModbusPoint first = group.get(0).point();
    return new ReadRequest(first.table(), first.address(), lastAddress(group) - first.address() + 1, group);
  }
}
