package io.edgeai4j.buffer;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded first-in-first-out queue of byte records in segment files under one directory.
 *
 * <p><b>Restarts.</b> {@link #open} recovers the records that were appended and not yet removed, in order.
 * A torn last record (a crash in the middle of a write) fails its length or CRC-32 check; it is logged and
 * cut off, and the intact records before it are kept.
 *
 * <p><b>Durability.</b> Every append and remove is handed to the operating system before it returns, so a
 * crash of the process loses no appended record and returns no removed one again. What a power loss can lose
 * depends on {@link DiskBufferOptions#fsyncPolicy()}: under {@link FsyncPolicy.Mode#ALWAYS} nothing (every append
 * and remove is forced first); under {@link FsyncPolicy.Mode#INTERVAL} (the default, 1 s) the appends of the last
 * interval, and the removes of the last interval come back (at-least-once), because a background thread forces
 * what is unforced once per interval, outside the lock, so appends do not wait for the device; under
 * {@link FsyncPolicy.Mode#NEVER} whatever the operating system has not written back. Segments are also forced
 * when they fill up, and everything on close. {@link #unforcedBytes()} and {@link #unforcedAge()} say what is at
 * risk now.
 *
 * <p><b>Bounds.</b> {@link #sizeBytes()} counts each held record with its 8-byte frame and the 8-byte
 * header of each segment file that holds records; no append takes it past
 * {@link DiskBufferOptions#maxBytes()}. Under {@link OverflowPolicy#DROP_OLDEST} an append removes the
 * oldest records until the new one fits; under {@link OverflowPolicy#REJECT_NEWEST} it stores nothing.
 * (A buffer reopened with a smaller maxBytes may hold more until the next append drops, or the consumer
 * drains, the excess.) The files may hold up to one segment more than {@link #sizeBytes()}: the consumed
 * front of the oldest segment, deleted once fully consumed; the newest segment, when drained, is kept for
 * the next appends until it is full, and deleted on close.
 *
 * <p><b>Threads.</b> Thread-safe: any number of producers may append while one consumer peeks and removes
 * (one lock guards all state, so calls run one at a time). The caller owns the buffer and closes it;
 * {@link #close()} is idempotent. After it, append, peek and remove throw {@link IllegalStateException};
 * the counters stay readable.
 *
 * <p><b>Counting.</b> A record that {@link OverflowPolicy#DROP_OLDEST} drops is counted in
 * {@link #droppedRecords()} even when the consumer had peeked it already (and so may deliver it).
 * A record that {@link OverflowPolicy#REJECT_NEWEST} refuses is counted in {@link #rejectedRecords()}.
 */
public final class DiskBuffer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiskBuffer.class);

  private final DiskBufferOptions options;
  private final DirectoryLock directoryLock;
  private final ReadPositionFile readPosition;
  private final ArrayDeque<Segment> segments;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private long nextSegmentId;
  private long records;
  private long bytes;
  private long droppedRecords;
  private long droppedBytes;
  private long rejectedRecords;
  private long rejectedBytes;
  /** The segment and offset of the record the last peek() returned, or -1: so that remove() removes that one. */
  private long peekedSegmentId = -1;
  private long peekedOffset = -1;
  private int peekedLength;
  private boolean closed;
  private final UnforcedWrites unforced = new UnforcedWrites();
  /** The thread of an INTERVAL policy, or null; set once by open(). */
  private PeriodicFsync periodicFsync;

  private DiskBuffer(DiskBufferOptions options, DirectoryLock directoryLock, ReadPositionFile readPosition,
      ArrayDeque<Segment> segments, long nextSegmentId) {
    this.options = options;
    this.directoryLock = directoryLock;
    this.readPosition = readPosition;
    this.segments = segments;
    this.nextSegmentId = nextSegmentId;
    for (Segment segment : segments) {
      records += segment.records();
      bytes += Segment.HEADER_BYTES + segment.frameBytes();
    }
  }

  /**
   * Opens the buffer in {@code options.directory()}, creating the directory if needed, and recovers what a
   * previous run left there.
   *
   * @return The buffer, which the caller owns and closes.
   * @throws IOException If another buffer has the directory open (the message names it), a segment file has
   *     a header that is not a segment header (the message names the file and what was found), or the files
   *     cannot be read. Nothing stays open then.
   */
  public static DiskBuffer open(DiskBufferOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    Path directory = Files.createDirectories(options.directory());
    DirectoryLock directoryLock = DirectoryLock.acquire(directory);
    ReadPositionFile readPosition = null;
    try {
      readPosition = ReadPositionFile.open(directory);
      ReadPositionFile.Position position = readPosition.recovered();
      List<Long> ids = segmentIds(directory);
      ArrayDeque<Segment> segments = new ArrayDeque<>();
      long nextId = position == null ? 0 : position.segmentId() + 1;
      for (int i = 0; i < ids.size(); i++) {
        long id = ids.get(i);
        nextId = Math.max(nextId, id + 1);
        if (position != null && id < position.segmentId()) {
          log.info("Deleting disk buffer segment {}: consumed before the last stop", Segment.fileOf(directory, id));
          Files.delete(Segment.fileOf(directory, id));
          continue;
        }
        long start = position != null && id == position.segmentId() ? position.offset() : Segment.HEADER_BYTES;
        Segment segment = Segment.recover(directory, id, start, i == ids.size() - 1);
        if (segment != null && segment.records() == 0) {
          segment.delete();
        } else if (segment != null) {
          segments.add(segment);
        }
      }
      DiskBuffer buffer = new DiskBuffer(options, directoryLock, readPosition, segments, nextId);
      if (options.fsyncPolicy().mode() == FsyncPolicy.Mode.INTERVAL) {
        buffer.periodicFsync = new PeriodicFsync(directory.toString(), options.fsyncPolicy().interval(),
            buffer::forceUnforced);
      }
      if (buffer.records > 0) {
        log.info("Disk buffer {} recovered {} records ({} bytes) in {} segments", directory, buffer.records,
            buffer.bytes, segments.size());
      }
      if (buffer.bytes > options.maxBytes()) {
        log.warn("Disk buffer {} holds {} bytes, more than its maxBytes of {}; the {} policy applies to the next"
            + " appends", directory, buffer.bytes, options.maxBytes(), options.overflowPolicy());
      }
      return buffer;
    } catch (IOException | RuntimeException e) {
      closeQuietly(e, readPosition, directoryLock);
      throw e;
    }
  }

  /**
   * Appends one record at the end.
   *
   * @param record The bytes; copied to disk before this returns, so the caller may reuse the array.
   * @return Whether it was stored, and what {@link OverflowPolicy#DROP_OLDEST} dropped to make room.
   * @throws IllegalArgumentException If the record is larger than {@link DiskBufferOptions#maxRecordBytes()};
   *     the message names both sizes.
   * @throws IOException If the record could not be written (e.g. the disk is full); it is not stored then.
   */
  public AppendResult append(byte[] record) throws IOException {
    Objects.requireNonNull(record, "record");
    if (record.length > options.maxRecordBytes()) {
      throw new IllegalArgumentException("A record of " + record.length + " bytes does not fit in a disk buffer"
          + " of maxBytes " + options.maxBytes() + ": records may have at most " + options.maxRecordBytes()
          + " bytes (maxBytes less " + (Segment.HEADER_BYTES + Segment.FRAME_BYTES)
          + " bytes of segment header and record frame)");
    }
    lock.lock();
    try {
      requireOpen();
      long dropped = 0;
      long droppedPayload = 0;
      while (bytes + bytesNeededFor(record.length) > options.maxBytes()) {
        if (options.overflowPolicy() == OverflowPolicy.REJECT_NEWEST) {
          rejectedRecords++;
          rejectedBytes += record.length;
          return AppendResult.REJECTED;
        }
        droppedPayload += dropOldest();
        dropped++;
      }
      if (dropped > 0) {
        droppedRecords += dropped;
        droppedBytes += droppedPayload;
        log.debug("Disk buffer {} full: dropped the {} oldest records ({} bytes)", options.directory(), dropped,
            droppedPayload);
      }
      Segment tail = tailFor(record.length);
      tail.append(record);
      records++;
      bytes += (tail.records() == 1 ? Segment.HEADER_BYTES : 0) + Segment.FRAME_BYTES + record.length;
      if (forcesEveryWrite()) {
        tail.force();
        unforced.forcedAtOnce(Segment.FRAME_BYTES + record.length);
      } else {
        unforced.note(UnforcedWrites.Target.DATA, Segment.FRAME_BYTES + record.length);
      }
      notEmpty.signalAll();
      return dropped == 0 ? AppendResult.STORED : new AppendResult(true, dropped, droppedPayload);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the oldest record without removing it. The single consumer calls this, delivers the record,
   * then calls {@link #remove()}.
   *
   * @return A fresh copy of the oldest record, or null when the buffer is empty.
   * @throws IOException If it cannot be read or fails its CRC-32 check (the message names file and offset).
   */
  public byte[] peek() throws IOException {
    lock.lock();
    try {
      requireOpen();
      Segment head = segments.peekFirst();
      if (records == 0) {
        peekedSegmentId = -1;
        return null;
      }
      byte[] record = head.readHead();
      peekedSegmentId = head.id();
      peekedOffset = head.readOffset();
      peekedLength = record.length;
      return record;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes the oldest record: the one the last {@link #peek()} returned. If {@link OverflowPolicy#DROP_OLDEST}
   * has dropped that record since, nothing more is removed (the peeked record is gone already) and this
   * returns true. The new read position is handed to the operating system before this returns (and forced
   * to the device under {@link FsyncPolicy.Mode#ALWAYS}); see the class notes on durability.
   * A segment file is deleted as soon as its last record is removed, except the newest, which takes the next
   * appends until it is full (so that a consumer that keeps up does not create and delete a file per record)
   * and which {@link #close()} deletes when it is empty.
   *
   * @return False when the buffer was empty and no peeked record was dropped.
   * @throws IOException If the new read position cannot be written.
   */
  public boolean remove() throws IOException {
    lock.lock();
    try {
      requireOpen();
      Segment head = segments.peekFirst();
      boolean peeked = peekedSegmentId >= 0;
      boolean headIsPeeked = peeked && head != null && head.id() == peekedSegmentId
          && head.readOffset() == peekedOffset;
      peekedSegmentId = -1;
      if (peeked && !headIsPeeked) {
        return true;
      }
      if (records == 0) {
        return false;
      }
      consumeHead(head, headIsPeeked ? peekedLength : head.headLength());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every held record, oldest first, without removing any: for a consumer that keeps its own copy of the
   * queue (e.g. replays it into memory at open, then removes records as it finishes them). Each record is checked
   * against its CRC-32. Holds the buffer's lock while it runs, so appends and removes wait; the read position,
   * {@link #peek()} and {@link #remove()} are unaffected.
   *
   * @param visitor Called once per record with a fresh copy, in order; an exception it throws stops the scan
   *     and is rethrown.
   * @return The number of records visited.
   * @throws IOException If a record cannot be read or fails its CRC-32 check (the message names file and offset),
   *     or the visitor throws it.
   */
  public long forEachRecord(RecordVisitor visitor) throws IOException {
    Objects.requireNonNull(visitor, "visitor");
    lock.lock();
    try {
      requireOpen();
      long visited = 0;
      for (Segment segment : segments) {
        if (segment.records() > 0) {
          long[] count = {0};
          segment.forEachRecord(record -> {
            visitor.visit(record);
            count[0]++;
          });
          visited += count[0];
        }
      }
      return visited;
    } finally {
      lock.unlock();
    }
  }

  /** Receives the records of {@link #forEachRecord}. */
  @FunctionalInterface
  public interface RecordVisitor {
    /**
     * Takes one record.
     *
     * @param record A fresh copy of the record's bytes.
     * @throws IOException To stop the scan; {@link #forEachRecord} rethrows it.
     */
    void visit(byte[] record) throws IOException;
  }

  /**
   * Waits until the buffer holds a record, it is closed, or {@code timeout} passes.
   *
   * @return Whether it holds a record.
   * @throws InterruptedException If the thread is interrupted while waiting.
   */
  public boolean awaitRecord(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (records == 0 && !closed) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return records > 0 && !closed;
    } finally {
      lock.unlock();
    }
  }

  /** The number of records held. */
  public long size() {
    return read(() -> records);
  }

  /** The bytes held: every record with its 8-byte frame, plus an 8-byte header per segment file. */
  public long sizeBytes() {
    return read(() -> bytes);
  }

  /** Whether no record is held. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** The records {@link OverflowPolicy#DROP_OLDEST} has dropped since open. */
  public long droppedRecords() {
    return read(() -> droppedRecords);
  }

  /** The payload bytes of the records dropped since open. */
  public long droppedBytes() {
    return read(() -> droppedBytes);
  }

  /** The records {@link OverflowPolicy#REJECT_NEWEST} has refused since open. */
  public long rejectedRecords() {
    return read(() -> rejectedRecords);
  }

  /** The payload bytes of the records refused since open. */
  public long rejectedBytes() {
    return read(() -> rejectedBytes);
  }

  /** The payload and frame bytes appended but not yet forced to the device (0 under {@code ALWAYS}). */
  public long unforcedBytes() {
    return read(unforced::bytes);
  }

  /**
   * How long the oldest write (append, remove or new segment) not yet forced to the device has waited, or
   * {@link Duration#ZERO} when everything is forced: what a power loss would lose now.
   */
  public Duration unforcedAge() {
    lock.lock();
    try {
      return unforced.age();
    } finally {
      lock.unlock();
    }
  }

  /** The payload and frame bytes forced to the device since open (on close too). */
  public long forcedBytes() {
    return read(unforced::forcedBytes);
  }

  /** The forces (fsync calls on the data or the read position) since open. */
  public long forces() {
    return read(unforced::forces);
  }

  /** The options the buffer was opened with. */
  public DiskBufferOptions options() {
    return options;
  }

  /**
   * Forces the data and the read position to the device, closes the files and releases the directory.
   * Idempotent; wakes threads in {@link #awaitRecord}.
   *
   * @throws IOException If forcing or closing failed; everything is released anyway.
   */
  @Override
  public void close() throws IOException {
    PeriodicFsync fsyncThread;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      notEmpty.signalAll();
      fsyncThread = periodicFsync;
    } finally {
      lock.unlock();
    }
    if (fsyncThread != null) {
      fsyncThread.close(); // waits for a force in progress, so that no channel is closed under it
    }
    lock.lock();
    try {
      IOException failure = null;
      try {
        Segment tail = segments.peekLast();
        if (tail != null && tail.records() == 0) {
          segments.removeLast();
          tail.delete();
        } else if (tail != null) {
          tail.force();
        }
        readPosition.force();
        syncDirectory();
        unforced.forcedAll();
      } catch (IOException e) {
        failure = e;
      }
      List<AutoCloseable> resources = new ArrayList<>(segments);
      resources.add(readPosition);
      resources.add(directoryLock);
      failure = closeAll(failure, resources.toArray(new AutoCloseable[0]));
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forces what was written since the last force: the tail segment, the directory's entries, then the read
   * position. Runs on the {@link PeriodicFsync} thread, outside the lock, so appends and removes go on meanwhile;
   * they stay counted as unforced (and are forced at the next tick), those before it only once it succeeded.
   */
  void forceUnforced() throws IOException {
    FileChannel data;
    UnforcedWrites.Snapshot snapshot;
    lock.lock();
    try {
      snapshot = closed ? null : unforced.begin();
      if (snapshot == null) {
        return;
      }
      Segment tail = segments.peekLast();
      data = snapshot.data() && tail != null ? tail.openChannel() : null;
    } finally {
      lock.unlock();
    }
    boolean forced = false;
    try {
      if (data != null) {
        forceUnlessClosed(data);
      }
      if (snapshot.directory()) {
        syncDirectory();
      }
      if (snapshot.position()) {
        readPosition.force();
      }
      forced = true;
    } finally {
      lock.lock();
      try {
        if (forced) {
          unforced.succeeded(snapshot);
        } else {
          unforced.failed();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Forces a tail's channel; one closed meanwhile belonged to a segment that was forced when it filled up. */
  private static void forceUnlessClosed(FileChannel channel) throws IOException {
    try {
      channel.force(false);
    } catch (ClosedChannelException e) {
      // Rolled (forced before it was closed) or drained and deleted: nothing left to force.
    }
  }

  private boolean forcesEveryWrite() {
    return options.fsyncPolicy().mode() == FsyncPolicy.Mode.ALWAYS;
  }

  @Override
  public String toString() {
    return "DiskBuffer[" + options.directory() + ", " + size() + " records, " + sizeBytes() + " bytes]";
  }

  private long bytesNeededFor(int length) {
    Segment tail = segments.peekLast();
    boolean newSegment = tail == null || tail.records() == 0
        || tail.endOffset() + Segment.FRAME_BYTES + length > options.segmentBytes();
    return Segment.FRAME_BYTES + length + (newSegment ? Segment.HEADER_BYTES : 0);
  }

  /** The segment the record goes to: the tail, or a new one when it would take the tail past segmentBytes. */
  private Segment tailFor(int length) throws IOException {
    Segment tail = segments.peekLast();
    if (tail != null && tail.endOffset() + Segment.FRAME_BYTES + length <= options.segmentBytes()) {
      return tail;
    }
    if (tail != null && tail.records() == 0) { // the drained, only segment: full now
      segments.removeLast();
      tail.delete();
    } else if (tail != null) {
      tail.force();
      if (segments.size() > 1) {
        tail.close(); // neither head nor tail any more; reopened when it becomes the head
      }
    }
    Segment created = Segment.create(options.directory(), nextSegmentId++);
    segments.addLast(created);
    if (forcesEveryWrite()) {
      syncDirectory();
    } else {
      unforced.note(UnforcedWrites.Target.DIRECTORY, 0);
    }
    return created;
  }

  /** Drops the oldest record to make room; returns its length. */
  private int dropOldest() throws IOException {
    Segment head = segments.getFirst();
    int length = head.headLength();
    consumeHead(head, length);
    return length;
  }

  private void consumeHead(Segment head, int length) throws IOException {
    head.consumeHead(length);
    records--;
    bytes -= Segment.FRAME_BYTES + length;
    readPosition.write(head.id(), head.readOffset(), forcesEveryWrite());
    if (forcesEveryWrite()) {
      unforced.forcedAtOnce(0);
    } else {
      unforced.note(UnforcedWrites.Target.POSITION, 0);
    }
    if (head.records() == 0) {
      bytes -= Segment.HEADER_BYTES;
      if (segments.size() > 1) {
        segments.removeFirst();
        head.delete();
      } // else the drained tail takes the next appends: no file created and deleted per record
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Disk buffer " + options.directory() + " is closed");
    }
  }

  private long read(LongSupplier value) {
    lock.lock();
    try {
      return value.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  /** Forces the directory's entries (created and deleted files); a no-op where the platform cannot. */
  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(options.directory(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      log.debug("Cannot force directory {} on this platform: {}", options.directory(), e.toString());
    }
  }

  private static List<Long> segmentIds(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(Segment::idOf).filter(OptionalLong::isPresent).map(OptionalLong::getAsLong)
          .sorted(Comparator.naturalOrder()).toList();
    }
  }

  /** Closes each resource; returns {@code failure}, or the first failure to close, with later ones suppressed. */
  private static IOException closeAll(IOException failure, AutoCloseable... resources) {
    IOException result = failure;
    for (AutoCloseable resource : resources) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        if (result == null) {
          result = e instanceof IOException io ? io : new IOException("Cannot close " + resource, e);
        } else {
          result.addSuppressed(e);
        }
      }
    }
    return result;
  }

  private static void closeQuietly(Exception failure, AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
