package io.edgeai4j.ingestion.opcua;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Recognises a data value of one monitored item that was delivered before: the same value, status, source and
 * server timestamps as one of the last {@value #WINDOW} values delivered for the item. A server never reports
 * such a value twice as two changes (its sampling gives each change its own server timestamp), but Milo's client
 * can deliver a notification message twice: when a publish response arrives after a later one, Milo fetches the
 * missing message with Republish, delivers it, and then delivers the late response as well, which would repeat
 * values after newer ones. Values are compared by content (arrays element by element). Thread-safe.
 */
final class RedeliveryFilter {
  /** How many of an item's last delivered values a repeat is looked for among. */
  static final int WINDOW = 256;

  private final ArrayDeque<Key> order = new ArrayDeque<>();
  private final Set<Key> recent = new HashSet<>();

  /**
   * Remembers the value when it is new.
   *
   * @return True when the value is new, false when it is one of the last {@value #WINDOW} delivered.
   */
  synchronized boolean firstDelivery(DataValue value) {
    Key key = new Key(value);
    if (!recent.add(key)) {
      return false;
    }
    order.addLast(key);
    if (order.size() > WINDOW) {
      recent.remove(order.removeFirst());
    }
    return true;
  }

  /** Forgets every value: a re-created monitored item starts afresh. */
  synchronized void clear() {
    order.clear();
    recent.clear();
  }

  /** A data value by content. */
  private static final class Key {
    private final Object[] value;
    private final long status;
    private final DateTime sourceTime;
    private final UShort sourcePicoseconds;
    private final DateTime serverTime;
    private final UShort serverPicoseconds;
    private final int hash;

    Key(DataValue dataValue) {
      Object content = dataValue.getValue() == null ? null : dataValue.getValue().getValue();
      // Milo's Matrix compares its element array by reference.
      this.value = content instanceof Matrix matrix ? new Object[] {matrix.getDimensions(), matrix.getElements()}
          : new Object[] {content};
      this.status = dataValue.getStatusCode() == null ? 0 : dataValue.getStatusCode().getValue();
      this.sourceTime = dataValue.getSourceTime();
      this.sourcePicoseconds = dataValue.getSourcePicoseconds();
      this.serverTime = dataValue.getServerTime();
      this.serverPicoseconds = dataValue.getServerPicoseconds();
      this.hash = Objects.hash(Arrays.deepHashCode(value), status, sourceTime, sourcePicoseconds, serverTime,
          serverPicoseconds);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && hash == key.hash && status == key.status
          && Objects.equals(sourceTime, key.sourceTime) && Objects.equals(sourcePicoseconds, key.sourcePicoseconds)
          && Objects.equals(serverTime, key.serverTime) && Objects.equals(serverPicoseconds, key.serverPicoseconds)
          && Arrays.deepEquals(value, key.value);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
