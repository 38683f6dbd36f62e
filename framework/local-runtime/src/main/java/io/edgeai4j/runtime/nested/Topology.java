package io.edgeai4j.runtime.nested;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a nested hierarchy: every device but one (the top) has exactly one parent, and following parents
 * from any device reaches the top within {@link #MAX_LAYERS} layers. Immutable; validated once by {@link #of}.
 */
public final class Topology {
  /** The most layers IoT Edge supports in a hierarchy (Microsoft Learn, "IoT Edge limits and restrictions"). */
  public static final int MAX_LAYERS = 5;

  private final List<String> devices;
  private final Map<String, DeviceLink> uplinks;
  private final String top;
  private final List<String> startOrder;

  private Topology(List<String> devices, Map<String, DeviceLink> uplinks, String top, List<String> startOrder) {
    this.devices = devices;
    this.uplinks = uplinks;
    this.top = top;
    this.startOrder = startOrder;
  }

  /**
   * Checks devices and links.
   *
   * @param devices The device names, in the order given (port offsets follow it).
   * @param links The links, child to parent.
   * @throws IllegalArgumentException Naming what was found: no device, a name given twice, a link naming an unknown
   *     device, a device linked to itself, a device with two parents, a cycle, devices not linked into one
   *     hierarchy, more than {@link #MAX_LAYERS} layers.
   */
  public static Topology of(Collection<String> devices, List<DeviceLink> links) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("no device given; expected at least one --device NAME=MANIFEST");
    }
    Set<String> names = new LinkedHashSet<>();
    for (String d : devices) {
      DeviceNames.require(d, "device");
      if (!names.add(d)) {
        throw new IllegalArgumentException("device '" + d + "' is given twice; each device needs its own name");
      }
    }
    Map<String, DeviceLink> uplinks = new LinkedHashMap<>();
    for (DeviceLink link : links) {
      for (String end : List.of(link.child(), link.parent())) {
        if (!names.contains(end)) {
          throw new IllegalArgumentException("link " + link.name() + ": unknown device '" + end
              + "'; devices given: " + names);
        }
      }
      if (link.child().equals(link.parent())) {
        throw new IllegalArgumentException("link " + link.name() + ": device '" + link.child()
            + "' cannot be its own parent");
      }
      DeviceLink before = uplinks.putIfAbsent(link.child(), link);
      if (before != null) {
        throw new IllegalArgumentException("device '" + link.child() + "' has two parents, '" + before.parent()
            + "' (link " + before.name() + ") and '" + link.parent() + "' (link " + link.name()
            + "); each child has exactly one parent");
      }
    }
    for (String d : names) {
      List<String> path = new ArrayList<>(List.of(d));
      for (String at = d; uplinks.containsKey(at); ) {
        at = uplinks.get(at).parent();
        if (path.contains(at)) {
          path.add(at);
          throw new IllegalArgumentException("the links form a cycle: " + String.join(" -> ", path.subList(
              path.indexOf(at), path.size())) + "; following parents must reach one top device");
        }
        path.add(at);
      }
      if (path.size() > MAX_LAYERS) {
        throw new IllegalArgumentException("device '" + d + "' is " + path.size() + " layers deep ("
            + String.join(" -> ", path) + "); IoT Edge supports at most " + MAX_LAYERS + " layers");
      }
    }
    List<String> tops = names.stream().filter(d -> !uplinks.containsKey(d)).toList();
    if (tops.size() > 1) {
      throw new IllegalArgumentException("the devices form " + tops.size() + " separate hierarchies, with tops "
          + tops + "; link them (--link CHILD-PARENT=SPEC) so that exactly one device has no parent");
    }
    String top = tops.get(0);
    List<String> order = new ArrayList<>();
    Deque<String> next = new ArrayDeque<>(List.of(top));
    while (!next.isEmpty()) {
      String parent = next.removeFirst();
      order.add(parent);
      for (String d : names) {
        DeviceLink up = uplinks.get(d);
        if (up != null && up.parent().equals(parent)) {
          next.addLast(d);
        }
      }
    }
    return new Topology(List.copyOf(names), Collections.unmodifiableMap(uplinks), top, List.copyOf(order));
  }

  /** Returns the device names in the order given. */
  public List<String> devices() {
    return devices;
  }

  /** Returns the top device: the one without a parent, whose {@code $upstream} goes to the upstream file. */
  public String top() {
    return top;
  }

  /** Returns the link from a device to its parent; empty for the top device. */
  public Optional<DeviceLink> uplink(String device) {
    return Optional.ofNullable(uplinks.get(device));
  }

  /** Returns the links, child to parent, in the order given. */
  public List<DeviceLink> links() {
    return List.copyOf(uplinks.values());
  }

  /** Returns the devices parents first (the top first): the order they start in; they stop in reverse. */
  public List<String> startOrder() {
    return startOrder;
  }
}
