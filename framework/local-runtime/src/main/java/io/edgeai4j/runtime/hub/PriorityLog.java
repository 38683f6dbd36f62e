package io.edgeai4j.runtime.hub;

import io.edgeai4j.buffer.DiskBuffer;
import io.edgeai4j.buffer.DiskBufferOptions;
import io.edgeai4j.buffer.FsyncPolicy;
import io.edgeai4j.buffer.OverflowPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The disk side of one endpoint's queue of one priority (edgeHub's {@code <endpoint>_Pri<n>} store): a
 * {@link DiskBuffer} of {@link StoredMessageCodec} records in the order they were stored, and the sequence number of
 * each. A record is removed from the disk once it is finished (delivered, rejected or expired) and every record
 * before it is too: delivery is FIFO per priority, so a delivered or rejected message is always the oldest
 * unfinished one, but a message with a shorter TTL may expire before the ones ahead of it; it is remembered in a
 * finished set and removed when it reaches the head. Thread-safe: one lock guards the sequences, the finished set
 * and the buffer's head. {@link HubStore} owns it and closes it; {@link #finish} after close does nothing (the
 * message stays on disk and comes back at the next open).
 */
final class PriorityLog implements AutoCloseable {
  /** Segment files of 1 MiB: a drained log keeps at most one segment, and a message takes at most 256 KiB. */
  static final int SEGMENT_BYTES = 1024 * 1024;

  private final String endpointId;
  private final int priority;
  private final DiskBuffer buffer;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Long> sequences = new ArrayDeque<>();
  private final Set<Long> finished = new HashSet<>();
  private boolean closed;

  private PriorityLog(String endpointId, int priority, DiskBuffer buffer) {
    this.endpointId = endpointId;
    this.priority = priority;
    this.buffer = buffer;
  }

  /**
   * Opens (or creates) the log in {@code directory}.
   *
   * @throws IOException If the directory cannot be created or its files read, or another hub has it open.
   */
  static PriorityLog open(Path directory, String endpointId, int priority, FsyncPolicy fsync) throws IOException {
    // The hub's maxStoreBytes bounds what is stored; the buffer's own bound is out of reach.
    DiskBufferOptions options = DiskBufferOptions.builder(directory).segmentBytes(SEGMENT_BYTES)
        .maxBytes(Long.MAX_VALUE / 4).overflowPolicy(OverflowPolicy.REJECT_NEWEST).fsyncPolicy(fsync).build();
    return new PriorityLog(endpointId, priority, DiskBuffer.open(options));
  }

  String endpointId() {
    return endpointId;
  }

  int priority() {
    return priority;
  }

  Path directory() {
    return buffer.options().directory();
  }

  /**
   * Reads back every record, oldest first; called once, right after {@link #open}.
   *
   * @throws IOException If a record cannot be read or decoded, naming the directory.
   */
  List<QueuedMessage> replay() throws IOException {
    List<QueuedMessage> messages = new ArrayList<>();
    lock.lock();
    try {
      buffer.forEachRecord(record -> {
        QueuedMessage message;
        try {
          message = StoredMessageCodec.decode(record);
        } catch (IOException e) {
          throw new IOException("The hub store " + directory() + " holds a record it cannot read (record "
              + (messages.size() + 1) + "): " + e.getMessage() + "; move the directory away to start without it", e);
        }
        messages.add(message);
        sequences.addLast(message.sequence());
      });
    } finally {
      lock.unlock();
    }
    return messages;
  }

  /**
   * Writes one message at the end; it is in the operating system's hands (and forced as the fsync policy says)
   * when this returns.
   *
   * @throws IOException If it could not be written; nothing is stored then.
   */
  void append(QueuedMessage message) throws IOException {
    byte[] record = StoredMessageCodec.encode(message);
    lock.lock();
    try {
      if (closed) {
        throw new IOException("the hub store " + directory() + " is closed");
      }
      buffer.append(record);
      sequences.addLast(message.sequence());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks a message finished and removes the finished records at the head of the log.
   *
   * @throws IOException If removing failed; the records stay and are removed at a later finish (or come back at
   *     the next open).
   */
  void finish(long sequence) throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      finished.add(sequence);
      while (!sequences.isEmpty() && finished.contains(sequences.peekFirst())) {
        buffer.remove();
        finished.remove(sequences.removeFirst());
      }
    } finally {
      lock.unlock();
    }
  }

  /** The messages stored and not finished. */
  int unfinished() {
    lock.lock();
    try {
      return sequences.size() - finished.size();
    } finally {
      lock.unlock();
    }
  }

  /** The bytes of the log's files that hold records, frames and headers included. */
  long diskBytes() {
    return buffer.sizeBytes();
  }

  /** Forces and closes the buffer. Idempotent. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      buffer.close();
    } finally {
      lock.unlock();
    }
  }
}
