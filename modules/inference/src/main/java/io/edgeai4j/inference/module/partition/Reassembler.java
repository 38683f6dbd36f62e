package io.edgeai4j.inference.module.partition;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Puts the chunks of activations sets back together, by (source, set id): the source is the sending device and module
 * ({@code connectionDeviceId/connectionModuleId}, set by the hub). Chunks may come in any order and more than once (a
 * duplicate, also one of a set completed recently, is ignored and counted). A set is pending from its first chunk until
 * its last; a set pending longer than the timeout is dropped ({@link Reason#TIMEOUT}, by {@link #expire}), and when
 * more than {@code maxPendingSets} are pending the oldest is dropped ({@link Reason#OVERFLOW}); each drop is returned
 * to the caller, which answers and counts it. Thread-safe (one lock; the input thread offers, a timer expires).
 */
public final class Reassembler {
  /** How many completed sets are remembered, so that a late duplicate of one of their chunks is recognised. */
  static final int COMPLETED_REMEMBERED = 4096;

  /** Why a set was dropped, as the metric's {@code reason} label spells it. */
  public enum Reason {
    TIMEOUT("timeout"),
    OVERFLOW("overflow"),
    CORRUPT("corrupt"),
    STOPPED("stopped");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Identifies a set: the sender and its id. */
  public record Key(String source, String set) {}

  /**
   * A set dropped before it was complete.
   *
   * @param key The set.
   * @param reason Why.
   * @param count The chunks the set has.
   * @param received The indexes received.
   * @param first The first chunk received (its properties and correlation id identify the request).
   * @param age How long it was pending.
   */
  public record Dropped(Key key, Reason reason, int count, SortedSet<Integer> received, EdgeMessage first,
      Duration age) {
    /** The indexes not received. */
    public SortedSet<Integer> missing() {
      SortedSet<Integer> missing = new TreeSet<>();
      for (int i = 0; i < count; i++) {
        if (!received.contains(i)) {
          missing.add(i);
        }
      }
      return missing;
    }
  }

  /** What one offered chunk did. */
  public sealed interface Outcome permits Pending, Duplicate, Complete {}

  /** The chunk was kept; the set waits for more. {@code overflowed} lists sets dropped to make room. */
  public record Pending(List<Dropped> overflowed) implements Outcome {}

  /** The chunk had been received already (or its set completed): ignored. */
  public record Duplicate(Key key, int index) implements Outcome {}

  /**
   * The chunk completed its set.
   *
   * @param payload The chunks' bodies in index order.
   * @param first The first chunk received.
   */
  public record Complete(Key key, byte[] payload, EdgeMessage first, List<Dropped> overflowed) implements Outcome {}

  /** A chunk whose properties do not describe a chunk (missing, not numbers, out of range, another count). */
  public static final class BadChunkException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Dropped dropped;

    BadChunkException(String message, Dropped dropped) {
      super(message);
      this.dropped = dropped;
    }

    /** The set this chunk's error ended, if it had one pending. */
    public Dropped dropped() {
      return dropped;
    }
  }

  private static final class PendingSet {
    final int count;
    final byte[][] chunks;
    final EdgeMessage first;
    final long since;
    int received;

    PendingSet(int count, EdgeMessage first, long since) {
      this.count = count;
      this.chunks = new byte[count][];
      this.first = first;
      this.since = since;
    }

    SortedSet<Integer> indexes() {
      SortedSet<Integer> got = new TreeSet<>();
      for (int i = 0; i < count; i++) {
        if (chunks[i] != null) {
          got.add(i);
        }
      }
      return got;
    }
  }

  private final Object lock = new Object();
  // Guarded by lock; insertion order = age.
  private final LinkedHashMap<Key, PendingSet> pending = new LinkedHashMap<>();
  private final LinkedHashMap<Key, Boolean> completed = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
      return size() > COMPLETED_REMEMBERED;
    }
  };
  private Duration timeout;
  private int maxPendingSets;

  public Reassembler(Duration timeout, int maxPendingSets) {
    configure(timeout, maxPendingSets);
  }

  /** Takes new limits; sets already pending keep their start time. */
  public void configure(Duration newTimeout, int newMaxPendingSets) {
    Objects.requireNonNull(newTimeout, "timeout");
    if (newMaxPendingSets < 1) {
      throw new IllegalArgumentException("maxPendingSets must be 1 or more, found " + newMaxPendingSets);
    }
    synchronized (lock) {
      timeout = newTimeout;
      maxPendingSets = newMaxPendingSets;
    }
  }

  /** The sets pending now. */
  public int pendingSets() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** The source of a chunk: {@code connectionDeviceId/connectionModuleId}. */
  public static String source(EdgeMessage chunk) {
    return chunk.systemProperty(SystemProperties.CONNECTION_DEVICE_ID).orElse("?") + "/"
        + chunk.systemProperty(SystemProperties.CONNECTION_MODULE_ID).orElse("?");
  }

  /**
   * Takes one chunk.
   *
   * @param now {@link System#nanoTime()} now.
   * @throws BadChunkException If its {@code activationSet}, {@code chunkIndex} or {@code chunkCount} property is
   *     missing or wrong, naming it; a pending set of the same key is dropped with it ({@link Reason#CORRUPT}).
   */
  public Outcome offer(EdgeMessage chunk, long now) throws BadChunkException {
    String set = chunk.property(ActivationChunks.SET).orElse(null);
    Key key = new Key(source(chunk), set);
    synchronized (lock) {
      if (set == null || set.isEmpty()) {
        throw new BadChunkException("an activations message without its '" + ActivationChunks.SET + "' property",
            null);
      }
      int count = integer(chunk, ActivationChunks.COUNT, 1, ActivationChunks.MAX_CHUNKS, key);
      int index = integer(chunk, ActivationChunks.INDEX, 0, count - 1, key);
      if (completed.containsKey(key)) {
        return new Duplicate(key, index);
      }
      PendingSet p = pending.get(key);
      List<Dropped> overflowed = new ArrayList<>();
      if (p == null) {
        p = new PendingSet(count, chunk, now);
        pending.put(key, p);
        while (pending.size() > maxPendingSets) {
          Iterator<Map.Entry<Key, PendingSet>> oldest = pending.entrySet().iterator();
          Map.Entry<Key, PendingSet> e = oldest.next();
          oldest.remove();
          overflowed.add(dropped(e.getKey(), e.getValue(), Reason.OVERFLOW, now));
        }
      } else if (p.count != count) {
        pending.remove(key);
        throw new BadChunkException("activations set " + set + " from " + key.source() + ": chunk " + index
            + " says " + ActivationChunks.COUNT + " " + count + ", earlier chunks said " + p.count,
            dropped(key, p, Reason.CORRUPT, now));
      }
      if (p.chunks[index] != null) {
        return new Duplicate(key, index);
      }
      p.chunks[index] = chunk.body();
      p.received++;
      if (p.received < p.count) {
        return new Pending(overflowed);
      }
      pending.remove(key);
      completed.put(key, Boolean.TRUE);
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      for (byte[] c : p.chunks) {
        payload.writeBytes(c);
      }
      return new Complete(key, payload.toByteArray(), p.first, overflowed);
    }
  }

  /** Drops the sets pending longer than the timeout at {@code now}, oldest first. */
  public List<Dropped> expire(long now) {
    List<Dropped> expired = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<Map.Entry<Key, PendingSet>> it = pending.entrySet().iterator(); it.hasNext();) {
        Map.Entry<Key, PendingSet> e = it.next();
        if (now - e.getValue().since >= timeout.toNanos()) {
          it.remove();
          expired.add(dropped(e.getKey(), e.getValue(), Reason.TIMEOUT, now));
        }
      }
    }
    return expired;
  }

  /** Drops every set pending (the module is stopping), oldest first. */
  public List<Dropped> drain(long now) {
    List<Dropped> all = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<Key, PendingSet> e : pending.entrySet()) {
        all.add(dropped(e.getKey(), e.getValue(), Reason.STOPPED, now));
      }
      pending.clear();
    }
    return all;
  }

  private int integer(EdgeMessage chunk, String property, int min, int max, Key key) throws BadChunkException {
    String text = chunk.property(property).orElse(null);
    int value;
    try {
      value = Integer.parseInt(Objects.requireNonNull(text));
    } catch (NumberFormatException | NullPointerException e) {
      value = Integer.MIN_VALUE;
    }
    if (value < min || value > max) {
      PendingSet p = pending.remove(key);
      throw new BadChunkException("activations set " + key.set() + " from " + key.source() + ": property '"
          + property + "' must be an integer " + min + " to " + max + ", found " + (text == null ? "none" : "'"
          + text + "'"), p == null ? null : dropped(key, p, Reason.CORRUPT, System.nanoTime()));
    }
    return value;
  }

  private static Dropped dropped(Key key, PendingSet p, Reason reason, long now) {
    return new Dropped(key, reason, p.count, p.indexes(), p.first, Duration.ofNanos(now - p.since));
  }
}
