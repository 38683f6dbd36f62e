package io.edgeai4j.runtime.nested;

import io.edgeai4j.runtime.link.LinkSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A link from a child device to its parent, as {@code edge run --link CHILD-PARENT=SPEC} writes it, e.g.
 * {@code sensor-node=10Mbit/20ms}: the child's {@code $upstream} reaches the parent's edgeHub over it. Immutable.
 *
 * @param child The child device's name (its device id).
 * @param parent The parent device's name.
 * @param spec Bandwidth, latency and loss.
 */
public record DeviceLink(String child, String parent, LinkSpec spec) {
  /** Validates the fields. */
  public DeviceLink {
    DeviceNames.require(child, "child device");
    DeviceNames.require(parent, "parent device");
    Objects.requireNonNull(spec, "spec");
  }

  /** Returns the link's name, {@code <child>-<parent>}. */
  public String name() {
    return child + "-" + parent;
  }

  /**
   * Reads {@code CHILD-PARENT=SPEC}. Device names may hold {@code -}: the text before {@code =} is split at the one
   * {@code -} that leaves two known device names.
   *
   * @param text The argument.
   * @param devices The names of the devices given.
   * @throws IllegalArgumentException Naming what was found and what was expected.
   */
  public static DeviceLink parse(String text, Collection<String> devices) {
    String expected = "expected CHILD-PARENT=BANDWIDTH/LATENCY[/LOSS%], e.g. sensor-node=10Mbit/20ms";
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("link '" + text + "': no '='; " + expected);
    }
    String pair = text.substring(0, eq);
    String specText = text.substring(eq + 1);
    List<String[]> splits = new ArrayList<>();
    for (int i = pair.indexOf('-'); i >= 0; i = pair.indexOf('-', i + 1)) {
      String child = pair.substring(0, i);
      String parent = pair.substring(i + 1);
      if (devices.contains(child) && devices.contains(parent)) {
        splits.add(new String[] {child, parent});
      }
    }
    if (splits.isEmpty()) {
      if (pair.indexOf('-') < 0) {
        throw new IllegalArgumentException("link '" + text + "': no '-' between the child and the parent; "
            + expected);
      }
      throw new IllegalArgumentException("link '" + text + "': '" + pair + "' does not name two of the devices "
          + new TreeSet<>(devices) + " as CHILD-PARENT (each given with --device NAME=MANIFEST)");
    }
    if (splits.size() > 1) {
      List<String> readings = new ArrayList<>();
      splits.forEach(s -> readings.add("child '" + s[0] + "', parent '" + s[1] + "'"));
      throw new IllegalArgumentException("link '" + text + "': '" + pair + "' reads several ways: " + readings
          + "; rename a device so that only one reading is left");
    }
    LinkSpec spec;
    try {
      spec = LinkSpec.parse(specText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("link '" + text + "': " + e.getMessage(), e);
    }
    return new DeviceLink(splits.get(0)[0], splits.get(0)[1], spec);
  }

  @Override
  public String toString() {
    return name() + "=" + spec;
  }
}
