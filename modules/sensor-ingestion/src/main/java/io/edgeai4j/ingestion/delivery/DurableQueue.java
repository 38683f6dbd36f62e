package io.edgeai4j.ingestion.delivery;

import io.edgeai4j.buffer.AppendResult;
import io.edgeai4j.buffer.DiskBuffer;
import io.edgeai4j.buffer.DiskBufferOptions;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's messages in a {@link DiskBuffer}, oldest first, from {@link #append} until edgeHub has accepted them
 * ({@link #release}); the newest few are also kept decoded in memory, so that a sender that keeps up does not read
 * them back. Each message gets a sequence number, counted from open, so that a release names the message it means
 * even when the full buffer has dropped it meanwhile. Not thread-safe: the {@link Outbox}'s lock guards it. Owns
 * its buffer; {@link #close()} closes it.
 */
final class DurableQueue implements Closeable {
  /** A waiting message and its sequence number. */
  record Entry(long seq, OutgoingMessage message) {}

  private static final Logger LOG = LoggerFactory.getLogger(DurableQueue.class);

  private final String name;
  private final CounterDataPoint corrupt;
  private final ArrayDeque<Entry> cache = new ArrayDeque<>();
  private DiskBuffer disk;
  private int cacheLimit;
  /** The sequence number of the oldest message on disk, and of the next one appended. */
  private long headSeq;
  private long nextSeq;
  /** The message whose record {@link DiskBuffer#peek()} returned and that is not removed yet, or -1. */
  private long peekedSeq = -1;
  /** Bytes forced by the buffers closed by {@link #reopen}. */
  private long forcedBytesBefore;

  private DurableQueue(DiskBuffer disk, int cacheLimit, String name, CounterDataPoint corrupt) {
    this.disk = disk;
    this.cacheLimit = cacheLimit;
    this.name = name;
    this.corrupt = corrupt;
    this.nextSeq = disk.size();
  }

  /**
   * Opens the buffer and recovers what it holds; the recovered messages are read back from disk when their turn
   * comes.
   *
   * @param cacheLimit How many of the newest messages are also kept in memory (0 for none).
   */
  static DurableQueue open(DiskBufferOptions options, int cacheLimit, String name, CounterDataPoint corrupt)
      throws IOException {
    return new DurableQueue(DiskBuffer.open(options), cacheLimit, name, corrupt);
  }

  /**
   * Writes a message at the end (handed to the operating system, and forced as the buffer's fsync policy says,
   * before this returns).
   *
   * @return What the buffer did: how many of the oldest messages it dropped to make room.
   */
  AppendResult append(OutgoingMessage message) throws IOException {
    AppendResult result = disk.append(message.encode());
    if (result.stored()) {
      headSeq += result.droppedRecords();
      cache.addLast(new Entry(nextSeq++, message));
      trimCache();
    }
    return result;
  }

  /**
   * The oldest waiting message, from memory when it is there, else read back from disk; null when none waits. A
   * record that cannot be read back is logged, counted and removed.
   */
  Entry head() throws IOException {
    if (peekedSeq >= 0 && peekedSeq != headSeq) {
      disk.remove(); // The full buffer dropped the peeked record: this only forgets the peek.
      peekedSeq = -1;
    }
    while (!disk.isEmpty()) {
      trimCache();
      Entry cached = cache.peekFirst();
      if (cached != null && cached.seq() == headSeq) {
        return cached;
      }
      try {
        byte[] record = disk.peek();
        peekedSeq = headSeq;
        return new Entry(headSeq, OutgoingMessage.decode(record));
      } catch (IOException e) {
        LOG.error("Outbox {}: a stored message cannot be read back and is dropped: {}", name, e.getMessage());
        corrupt.inc();
        disk.remove();
        peekedSeq = -1;
        headSeq++;
      }
    }
    return null;
  }

  /**
   * Removes message {@code seq} from disk once edgeHub has accepted it.
   *
   * @return False when the full buffer had dropped it already (nothing else is removed).
   * @throws IOException If the new read position cannot be written: the message stays and is sent again.
   */
  boolean release(long seq) throws IOException {
    if (seq != headSeq) {
      return false; // head() forgets the peek of a dropped record
    }
    disk.remove();
    peekedSeq = -1;
    headSeq++;
    trimCache();
    return true;
  }

  /**
   * Closes the buffer and opens it again with new options (a new limit or fsync policy), keeping the messages and
   * their sequence numbers. If the new options cannot be opened, the old ones are opened again and the error thrown.
   */
  void reopen(DiskBufferOptions options) throws IOException {
    DiskBufferOptions old = disk.options();
    long waiting = nextSeq - headSeq;
    disk.close();
    forcedBytesBefore += disk.forcedBytes();
    peekedSeq = -1;
    try {
      disk = DiskBuffer.open(options);
    } catch (IOException | RuntimeException e) {
      disk = DiskBuffer.open(old);
      throw e;
    } finally {
      if (disk.size() != waiting) {
        LOG.warn("Outbox {}: the reopened buffer holds {} messages where {} were waiting; reading them all from disk",
            name, disk.size(), waiting);
        cache.clear();
        headSeq = nextSeq - disk.size();
      }
    }
  }

  /** Sets how many of the newest messages are also kept in memory. */
  void cacheLimit(int limit) {
    cacheLimit = limit;
    trimCache();
  }

  /** The messages waiting on disk. */
  long size() {
    return disk.size();
  }

  /** The bytes the buffer holds. */
  long sizeBytes() {
    return disk.sizeBytes();
  }

  /** Of the waiting messages, how many are also in memory. */
  int cached() {
    trimCache();
    return cache.size();
  }

  DiskBufferOptions options() {
    return disk.options();
  }

  long unforcedBytes() {
    return disk.unforcedBytes();
  }

  Duration unforcedAge() {
    return disk.unforcedAge();
  }

  /** Bytes forced to the device since open, across reopens. */
  long forcedBytes() {
    return forcedBytesBefore + disk.forcedBytes();
  }

  /** Closes the buffer (which forces what is unforced). Idempotent. */
  @Override
  public void close() throws IOException {
    cache.clear();
    disk.close();
  }

  private void trimCache() {
    while (!cache.isEmpty() && (cache.size() > cacheLimit || cache.peekFirst().seq() < headSeq)) {
      cache.removeFirst();
    }
  }
}
